/* Live word count and reading time on the story form.
 *
 * Counts the way articles/text.py does (same word pattern, 238 words a
 * minute, at least one minute), over the headline, standfirst and body with
 * Markdown link targets left out. HTML typed in the body is shown to readers
 * as text, so its words count. It is a guide while typing: the figures saved
 * with the story are the server's. */
(function () {
  "use strict";

  var WORDS_PER_MINUTE = 238;
  var W = "[\\p{L}\\p{M}\\p{N}_]";
  var WORD = new RegExp(W + "+(?:['\u2019.\\-]" + W + "+)*", "gu");

  function visibleMarkdown(text) {
    return (text || "")
      .replace(/^\s*\[[^\]]+\]:\s*\S+.*$/gm, "")       // reference link definitions
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")        // [text](url) keeps the text
      .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, "$1");     // [text][ref] likewise
  }

  function countWords() {
    var total = 0;
    for (var i = 0; i < arguments.length; i++) {
      var found = (arguments[i] || "").match(WORD);
      total += found ? found.length : 0;
    }
    return total;
  }

  function readingMinutes(words) {
    return Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
  }

  function storyWords(headline, standfirst, body) {
    return countWords(headline, standfirst, visibleMarkdown(body));
  }

  window.newsroomWordCount = storyWords;

  function start() {
    var fields = ["id_headline", "id_standfirst", "id_body"].map(function (id) {
      return document.getElementById(id);
    });
    var wordsOut = document.querySelector('[data-live="word-count"]');
    var minutesOut = document.querySelector('[data-live="reading-time"]');
    if (fields.indexOf(null) !== -1 || !wordsOut || !minutesOut) {
      return; // a read-only view of the story: nothing to update
    }
    function update() {
      var words = storyWords(fields[0].value, fields[1].value, fields[2].value);
      wordsOut.textContent = String(words);
      minutesOut.textContent = String(readingMinutes(words));
    }
    fields.forEach(function (field) {
      field.addEventListener("input", update);
    });
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
