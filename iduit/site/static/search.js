/* iduit site search: MiniSearch over the index iduit built (assets/search-index.js).
 *
 * Works from file:// (nothing is fetched) and never builds HTML from text:
 * results are made with createElement and textContent only.
 * Words are matched as the terminal matches them: the same stop words and
 * British -> American spelling folds (shipped by iduit from its own rules),
 * and synonym groups: a query naming a member of a group in full also finds
 * the documents that mention any other member (iduit marked them when it
 * built the index). Prefix matching on the last word gives as-you-type
 * results; fuzzy matching forgives typos.
 */
(function () {
  "use strict";

  var data = window.IDUIT_INDEX;
  var SPLIT = /[\n\r\p{Z}\p{P}]+/u;
  var WORD = /[^\n\r\p{Z}\p{P}]+/gu;
  // Fields and weights come from iduit's own ranking rules (iduit/search/ranking.py), written into the index.
  var TEXT_FIELDS = data.ranking.fields;
  var BOOST = data.ranking.boost;
  // A synonym counts for less than the word typed, as in the terminal.
  var SYNONYM_BOOST = data.ranking.synonymBoost;
  var PAGE = 20;
  var SNIPPET_CHARS = 300;

  var LANG = data.lang || "en";
  var MESSAGES = data.messages;
  var CYRILLIC = /[\u0400-\u04ff]/;
  // Russian words are stemmed with Snowball, as the terminal stems them; other words keep the spelling folds.
  var russian = LANG === "ru" && window.snowballFactory ? window.snowballFactory.newStemmer("russian") : null;
  var stop = new Set(data.stop);
  var spellingWords = data.spelling.words;
  var maybeBritish = new RegExp(data.spelling.maybe, "u");
  var rules = data.spelling.rules.map(function (rule) {
    return [new RegExp(rule[0], "u"), rule[1]];
  });
  var folded = new Map();

  function americanize(word) {
    if (Object.prototype.hasOwnProperty.call(spellingWords, word)) return spellingWords[word];
    if (!maybeBritish.test(word)) return word;
    for (var i = 0; i < rules.length; i++) word = word.replace(rules[i][0], rules[i][1]);
    return word;
  }

  function fold(word) {
    var lower = word.toLowerCase();
    var known = folded.get(lower);
    if (known === undefined) {
      known = russian && CYRILLIC.test(lower) ? russian.stem(lower.replace(/ё/g, "е")) : americanize(lower);
      folded.set(lower, known);
    }
    return known;
  }

  function tokenize(text) {
    return text.split(SPLIT).filter(Boolean);
  }

  function processTerm(term) {
    var lower = term.toLowerCase();
    return stop.has(lower.replace(/ё/g, "е")) ? null : fold(lower);
  }

  // Synonym groups as folded words, stop words kept ("needle and syringe programme").
  var unused = new Set(data.unused || []);
  var groups = data.synonyms.map(function (group) {
    return group.map(function (member) {
      // An acronym (AIDS, ОЗТ) names its group only as typed, or its plural, as in the terminal:
      // "legal aid" never searches for acquired immunodeficiency syndrome.
      return {
        text: member,
        words: tokenize(member).map(fold),
        acronym: /^[A-ZА-ЯЁ]{2,}$/.test(member),
        unused: unused.has(member)
      };
    });
  });

  function sameWord(a, b) {
    // No stemmer here: a plural still names the member ("needle exchanges").
    return a === b || a === b + "s" || b === a + "s" || a === b + "es" || b === a + "es";
  }

  function startsAt(words, i, member) {
    if (!member.length || i + member.length > words.length) return false;
    for (var j = 0; j < member.length; j++) if (!sameWord(words[i + j], member[j])) return false;
    return true;
  }

  function contains(words, member) {
    for (var i = 0; i < words.length; i++) if (startsAt(words, i, member)) return true;
    return false;
  }

  /* The groups a query names in full, and the other members' names (shown as "also searched for"). */
  function synonymsIn(words) {
    var found = [];
    var names = [];
    var acronyms = [];
    var acronymWords = [];
    var weights = {};
    groups.forEach(function (group, number) {
      var named = group.filter(function (m) {
        if (m.acronym) {
          return words.some(function (w) { return w === m.words[0] || w === m.words[0] + "s"; });
        }
        return contains(words, m.words);
      });
      if (!named.length) return;
      found.push(number);
      var longest = Math.max.apply(null, named.map(function (m) { return m.words.length; }));
      if (longest === 1 && named.some(function (m) { return m.acronym; })) {
        acronyms.push(number);
        named.forEach(function (m) { if (m.acronym) acronymWords.push(m.words[0]); });
      }
      // As in the terminal: a member of several words names the topic, and so does a word the guidance
      // seldom uses ("нарыв"), which reaches the topic only through its group; one everyday word only widens it.
      weights[number] = longest > 1 ? data.ranking.namedTopic
        : named.every(function (m) { return m.unused; }) ? data.ranking.unusedWord : 1;
      // Each other member once: plurals and spelling variants of one already named are left out.
      var seen = named.map(function (m) { return m.words; });
      group.forEach(function (m) {
        var known = seen.some(function (words) {
          return words.length === m.words.length && startsAt(words, 0, m.words);
        });
        if (!known) {
          seen.push(m.words);
          names.push(m.text);
        }
      });
    });
    return { groups: found, names: names, acronyms: acronyms, acronymWords: acronymWords, weights: weights };
  }

  // As in the terminal: an item holding more of the typed words ranks higher (coverage), and job aids come
  // first when the query names a form or card, lower for a bare term.
  var jobAidWords = (data.ranking.jobAidWords || []).map(fold);

  function coverage(result, typed, syn) {
    var found = new Set(result.queryTerms);
    var held = typed.filter(function (w) {
      if (found.has(w)) return true;
      return syn.groups.some(function (g) {
        return found.has("syn" + g) && groups[g].some(function (m) {
          return m.words.some(function (x) { return sameWord(w, x); });
        });
      });
    });
    return held.length / typed.length;
  }

  function reweigh(results, words, syn, typedText) {
    var typed = Array.from(new Set(words.filter(function (w) { return processTerm(w); }).map(fold)));
    var names = typed.some(function (w) {
      return jobAidWords.some(function (j) { return sameWord(w, j); });
    });
    // As typed, stop words and all: "OST" is a bare term, "how many needles should we buy" a situation.
    var bare = typedText.split(/\s+/).filter(function (w) { return /[\p{L}\p{N}]/u.test(w); }).length <= data.ranking.termWords;
    var factor = names ? data.ranking.jobAidBoost : bare ? data.ranking.jobAidUnnamed : 1;
    var power = typed.length > 1 ? data.ranking.coverage : 0;
    if ((factor === 1 && !power) || !results.length) return results;
    results.forEach(function (r) {
      if (docs.get(r.id).kind === "tool") r.score *= factor;
      if (power) r.score *= Math.pow(coverage(r, typed, syn), power);
    });
    return results.sort(function (a, b) { return b.score - a.score; });
  }

  var mini = null;
  var docs = new Map();
  var buildMs = 0;

  function build() {
    var started = performance.now();
    mini = new window.MiniSearch({
      fields: TEXT_FIELDS.concat(["topics", "titleTopics", "mentions"]),
      idField: "id",
      tokenize: tokenize,
      processTerm: processTerm
    });
    mini.addAll(data.docs);
    data.docs.forEach(function (doc) { docs.set(doc.id, doc); });
    buildMs = performance.now() - started;
  }

  /* The query's words to look for, and those to leave out ("-prison"). */
  function split(query) {
    var include = [];
    var exclude = [];
    query.split(/\s+/).forEach(function (word) {
      if (word.length > 1 && word[0] === "-") exclude.push(word.slice(1));
      else if (word) include.push(word);
    });
    return { include: include.join(" "), exclude: exclude.join(" ") };
  }

  var typedAcronym = false;

  function isLast(term, i, terms) {
    // The word being typed: its beginning is enough. One letter would match half the words, so two at least.
    // An acronym typed in capitals is whole already: CAB is not the start of CAB-LA or cabotegravir.
    return i === terms.length - 1 && term.length >= 2 && !typedAcronym;
  }

  function fuzziness(term) {
    // Short words are mostly acronyms (ART, PEP): a typo allowance there finds other acronyms.
    // Longer ones are allowed the terminal's edits: one up to 6 letters, two up to 10, then three ("buprenorfin").
    if (term.length < 5) return false;
    return term.length <= 6 ? 1 : term.length <= 10 ? 2 : 3;
  }

  /* Ranked results for a query: [{id, score, terms, groups}], plus the synonym names it added. */
  function search(query) {
    var parts = split(query);
    var syn = synonymsIn(tokenize(parts.include).map(fold));
    var raw = tokenize(parts.include);
    typedAcronym = raw.length > 0 && /^[A-ZА-ЯЁ]{2,}$/.test(raw[raw.length - 1]);
    // An acronym that names its topic (OST) counts in a title or tags through the topic, once, as in the
    // terminal: a job aid with "OST" in its title does not count it twice and outrank the section about OST.
    var isTopicAcronym = function (w) {
      return syn.acronymWords.some(function (a) { return fold(w) === a || fold(w) === a + "s"; });
    };
    var acronymTerms = raw.filter(isTopicAcronym);
    var otherTerms = raw.filter(function (w) { return !isTopicAcronym(w); });
    var queries = [];
    if (otherTerms.length) {
      queries.push({
        queries: [otherTerms.join(" ")], fields: TEXT_FIELDS, boost: BOOST, prefix: isLast, fuzzy: fuzziness, combineWith: "OR"
      });
    }
    if (acronymTerms.length) {
      queries.push({
        queries: [acronymTerms.join(" ")],
        fields: TEXT_FIELDS.filter(function (f) { return f !== "title" && f !== "tags"; }),
        boost: BOOST,
        prefix: false,
        fuzzy: false,
        combineWith: "OR"
      });
    }
    var plain = syn.groups.filter(function (g) { return syn.acronyms.indexOf(g) < 0; });
    // An acronym typed as itself names its topic: a section with the topic in its title counts as if it said the acronym.
    var mentions = SYNONYM_BOOST.mentions;
    var pairs = [];
    Array.from(new Set(plain.map(function (g) { return syn.weights[g]; }))).forEach(function (weight) {
      pairs.push([
        plain.filter(function (g) { return syn.weights[g] === weight; }),
        { topics: SYNONYM_BOOST.topics * weight, titleTopics: SYNONYM_BOOST.titleTopics * weight, mentions: mentions * weight }
      ]);
    });
    pairs.push([
      syn.acronyms,
      { topics: SYNONYM_BOOST.acronymTopics, titleTopics: SYNONYM_BOOST.acronymTitleTopics, mentions: mentions }
    ]);
    pairs
      .forEach(function (pair) {
        if (!pair[0].length) return;
        queries.push({
          queries: [pair[0].map(function (g) { return "syn" + g; }).join(" ")],
          fields: ["topics", "titleTopics", "mentions"],
          boost: pair[1],
          prefix: false,
          fuzzy: false,
          combineWith: "OR"
        });
      });
    var tree = { combineWith: "OR", queries: queries };
    if (parts.exclude && tokenize(parts.exclude).some(function (t) { return processTerm(t); })) {
      tree = {
        combineWith: "AND_NOT",
        queries: [tree, { queries: [parts.exclude], fields: TEXT_FIELDS, prefix: false, fuzzy: false, combineWith: "OR" }]
      };
    }
    var words = tokenize(parts.include);
    var last = words.length ? words[words.length - 1] : "";
    if (!words.some(processTerm) && !syn.groups.length && last.length >= 2) {
      // Only stop words so far, and no topic named in full ("ничего для нас без нас" is one), so probably the
      // start of a longer word ("need" on the way to "needle"): its beginning.
      tree = { queries: [last], fields: TEXT_FIELDS, boost: BOOST, prefix: true, fuzzy: false, processTerm: fold };
    }
    var results = parts.include.trim().length >= 2 ? mini.search(tree) : [];
    results = reweigh(results, words, syn, parts.include);
    return { results: results, names: syn.names, groups: syn.groups };
  }

  // -- snippets --------------------------------------------------------------

  var tokenCache = new Map();

  function tokensOf(text) {
    var cached = tokenCache.get(text);
    if (cached) return cached;
    var found = [];
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      found.push({ start: match.index, end: match.index + match[0].length, word: fold(match[0]) });
    }
    tokenCache.set(text, found);
    return found;
  }

  /* [start, end) character ranges of matched words and synonym members in text. */
  function matches(text, terms, members) {
    var tokens = tokensOf(text);
    var words = tokens.map(function (t) { return t.word; });
    var spans = [];
    for (var i = 0; i < tokens.length; i++) {
      if (terms.has(tokens[i].word)) {
        spans.push([tokens[i].start, tokens[i].end]);
        continue;
      }
      for (var m = 0; m < members.length; m++) {
        if (startsAt(words, i, members[m])) {
          spans.push([tokens[i].start, tokens[i + members[m].length - 1].end]);
          i += members[m].length - 1;
          break;
        }
      }
    }
    return spans;
  }

  var SENTENCE_END = /(?<=[.!?])\s+|\n\s*\n/;

  /* The summary if it matches, else the first matching sentence: [{text, marked}] pieces, about SNIPPET_CHARS long. */
  function snippet(doc, result) {
    var terms = new Set(result.terms.filter(function (t) { return !/^syn\d+$/.test(t); }));
    var members = [];
    result.terms.forEach(function (t) {
      var number = /^syn(\d+)$/.exec(t);
      if (number && groups[+number[1]]) {
        groups[+number[1]].forEach(function (m) { if (m.words.length) members.push(m.words); });
      }
    });
    var candidates = [doc.summary].concat(doc.body.split(SENTENCE_END), doc.points.split("\n"), doc.examples.split("\n"));
    for (var i = 0; i < candidates.length; i++) {
      // Spaces as shown, before matching: the marks must fall where the words are once lines are joined.
      var text = (candidates[i] || "").replace(/\s+/g, " ");
      if (!text.trim()) continue;
      var spans = matches(text, terms, members);
      if (spans.length) return clip(text, spans);
    }
    return clip(doc.summary, []);
  }

  function clip(text, spans) {
    text = text.replace(/\s+/g, " ");
    var start = 0;
    var end = text.length;
    if (text.length > SNIPPET_CHARS) {
      var first = spans.length ? spans[0][0] : 0;
      start = Math.max(0, first - Math.floor(SNIPPET_CHARS / 3));
      end = Math.min(text.length, start + SNIPPET_CHARS);
    }
    var pieces = [];
    if (start > 0) pieces.push({ text: "…", marked: false });
    var at = start;
    spans.forEach(function (span) {
      var from = Math.max(span[0], at);
      var to = Math.min(span[1], end);
      if (to <= from) return;
      if (from > at) pieces.push({ text: text.slice(at, from), marked: false });
      pieces.push({ text: text.slice(from, to), marked: true });
      at = to;
    });
    if (at < end) pieces.push({ text: text.slice(at, end), marked: false });
    if (end < text.length) pieces.push({ text: "…", marked: false });
    return pieces;
  }

  // -- the page --------------------------------------------------------------

  var input, status, list, more;
  var current = { query: "", results: [], shown: 0 };
  var timings = [];

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function resultItem(result) {
    var doc = docs.get(result.id);
    var item = element("li");
    var link = element("a", "", doc.id + " " + doc.title);
    link.href = doc.url;
    var heading = element("h2", "result-title");
    heading.appendChild(link);
    item.appendChild(heading);
    item.appendChild(element("p", "where", doc.where));
    var text = element("p", "snippet");
    snippet(doc, result).forEach(function (piece) {
      text.appendChild(piece.marked ? element("mark", "", piece.text) : document.createTextNode(piece.text));
    });
    item.appendChild(text);
    return item;
  }

  function showMore() {
    var next = current.results.slice(current.shown, current.shown + PAGE);
    var fragment = document.createDocumentFragment();
    next.forEach(function (r) { fragment.appendChild(resultItem(r)); });
    list.appendChild(fragment);
    current.shown += next.length;
    more.hidden = current.shown >= current.results.length;
  }

  /* Which plural form a count takes (as iduit's catalogues say): 1 результат, 3 результата, 5 результатов. */
  function pluralIndex(n) {
    if (LANG === "ru") {
      if (n % 10 === 1 && n % 100 !== 11) return 0;
      if (n % 10 >= 2 && n % 10 <= 4 && !(n % 100 >= 12 && n % 100 <= 14)) return 1;
      return 2;
    }
    return n === 1 ? 0 : 1;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function describe(query, found) {
    var count = found.results.length;
    if (query.trim().length < 2) return MESSAGES.typeMore;
    var forms = MESSAGES.results;
    var line = count
      ? fill(forms[Math.min(pluralIndex(count), forms.length - 1)], { n: count, query: query.trim() })
      : fill(MESSAGES.nothing, { query: query.trim() });
    if (found.names.length) {
      var shown = found.names.slice(0, 4).join(", ");
      var more = found.names.length - 4;
      var words = more > 0 ? fill(MESSAGES.andMore, { words: shown, n: more }) : shown;
      line += " " + fill(MESSAGES.also, { words: words });
    }
    return line;
  }

  function run(query) {
    var started = performance.now();
    var found = search(query);
    var searched = performance.now();
    current = { query: query, results: found.results, shown: 0 };
    list.textContent = "";
    showMore();
    status.textContent = describe(query, found);
    var done = performance.now();
    var timing = { query: query, searchMs: searched - started, totalMs: done - started };
    timings.push(timing);
    list.setAttribute("data-search-ms", timing.searchMs.toFixed(2));
    return found;
  }

  function remember(query) {
    try {
      history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
    } catch (error) {
      // Some browsers refuse to change a file:// address; the results are there all the same.
    }
  }

  function start() {
    input = document.getElementById("q");
    status = document.getElementById("status");
    list = document.getElementById("results");
    more = document.getElementById("more");
    if (!input || !list) return;
    build();
    var query = new URLSearchParams(location.search).get("q") || "";
    input.value = query;
    run(query);
    input.addEventListener("input", function () {
      run(input.value);
      remember(input.value);
    });
    document.getElementById("search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      run(input.value);
      remember(input.value);
      var first = list.querySelector("a");
      if (first) first.focus();
    });
    more.addEventListener("click", function () {
      var before = current.shown;
      showMore();
      var link = list.querySelectorAll("a")[before];
      if (link) link.focus();
    });
    if (!query) input.focus();
  }

  // For tests and benchmarks: rank without touching the page, and the timings of what was typed.
  window.iduitSearch = {
    rank: function (query) {
      var started = performance.now();
      var found = search(query);
      var ids = found.results.map(function (r) { return r.id; });
      var scores = found.results.map(function (r) { return r.score; });
      return { ids: ids, scores: scores, also: found.names, ms: performance.now() - started };
    },
    fold: fold,
    timings: timings,
    buildMs: function () { return buildMs; }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
