"""Reading admin forms the way a browser submits them."""

from bs4 import BeautifulSoup

CHANGELIST = "/admin/articles/article/"
ADD = "/admin/articles/article/add/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def form_data(response, form_id="article_form"):
    """The values a browser would post from the form as rendered."""
    form = soup(response).find("form", id=form_id)
    assert form is not None, f"no form #{form_id} on the page"
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        kind = field.get("type", "")
        if not name or kind in {"submit", "file"} or field.has_attr("disabled"):
            continue
        if kind == "checkbox" and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            # Browsers drop the newline that follows <textarea>.
            data[name] = field.text.removeprefix("\n")
        elif field.name == "select" and field.has_attr("multiple"):
            # Every chosen option; none at all sends nothing.
            chosen = [
                o.get("value", "") for o in field.find_all("option", selected=True)
            ]
            if chosen:
                data[name] = chosen
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        else:
            data[name] = field.get("value", "")
    return data


def field_names(response, form_id="article_form"):
    """Editable fields in page order (hidden ones left out)."""
    form = soup(response).find("form", id=form_id)
    names = []
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if name and field.get("type") not in {"hidden", "submit"} and name not in names:
            names.append(name)
    return names


def errors(response):
    found = soup(response).select(".errorlist li")
    return [" ".join(error.get_text(" ").split()) for error in found]


def messages(response):
    found = soup(response).select(".messagelist li")
    return [" ".join(message.get_text(" ").split()) for message in found]
