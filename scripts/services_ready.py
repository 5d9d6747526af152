"""Exit 0 when the PostgreSQL and Redis servers named on the command line
answer, 1 (saying which did not) otherwise. Used by `make test`."""

import sys

import psycopg
import redis
from dj_database_url import parse


def postgres_answers(url):
    config = parse(url)
    try:
        psycopg.connect(
            host=config["HOST"],
            port=config["PORT"] or 5432,
            user=config["USER"],
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error as error:
        print(f"PostgreSQL at {url} does not answer: {error}".strip())
        return False
    return True


def redis_answers(url):
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        print(f"Redis at {url} does not answer: {error}")
        return False
    return True


if __name__ == "__main__":
    database_url, redis_url = sys.argv[1:3]
    ready = postgres_answers(database_url) & redis_answers(redis_url)
    sys.exit(0 if ready else 1)
