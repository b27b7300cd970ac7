"""Facts as units: article sentences with stable ids, grouped across outlets, ranked by code.

A :class:`Fact` is one thing the sources state, with every outlet's sentence for it (its
renderings). :func:`find_facts` splits the articles into sentences, groups sentences that
state the same fact (TF-IDF cosine across outlets), and ranks the groups deterministically:

* centrality in the cluster: LexRank (PageRank over the TF-IDF similarity graph);
* how many outlets report it;
* position (news leads with what matters);
* headlines: a fact that several headlines state is the story's angle;
* content: figures, named actors and reported speech;
* diversity: the order is chosen MMR-style, so the top is not five versions of the lead.

scikit-learn does the vector work; this module holds only the policy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..schema.article import Article
from ..schema.parts import CitedSentence, Origin, SentenceRef
from ..text.fitness import unfit
from ..text.injection import injection_markers
from ..text.lexicons import SPEECH_VERBS
from ..text.loaded import find_loaded
from ..text.numbers import figures
from ..text.sentences import sentence_spans

MIN_WORDS = 6  # shorter lines are captions, labels or datelines
MAX_WORDS = 90
GROUP_SIMILARITY = 0.3  # cosine above which two outlets' sentences state the same fact
LEXRANK_THRESHOLD = 0.1
DAMPING = 0.85
MMR_LAMBDA = 0.75
MAX_PER_ARTICLE = 30  # news leads with what matters: later sentences rarely make a brief
MAX_SENTENCES = 1500  # bounds the similarity matrix (and the cost) for clusters of hundreds of articles
MMR_POOL = 60  # facts ordered by MMR; the rest follow by score
HEADLINE_ITSELF = 0.85  # cosine to a title above which a line is that title
WEIGHTS = {"central": 0.3, "outlets": 0.25, "position": 0.15, "headline": 0.2, "content": 0.1}
_SPEECH = re.compile(r"\b(?:" + SPEECH_VERBS + r"|according to)\b", re.IGNORECASE)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")


@dataclass(frozen=True)
class Sentence:
    """One article sentence with a stable id ``"<article id>:<index>"``."""

    id: str
    article_id: str
    index: int  # position in its article, from 0
    start: int
    end: int
    text: str

    def ref(self) -> SentenceRef:
        return SentenceRef(article_id=self.article_id, start=self.start, end=self.end, text=self.text)


@dataclass
class Fact:
    """One fact of the cluster: its renderings by different outlets, best first, and its score."""

    id: int  # 1-based rank
    sentences: list[Sentence]
    score: float
    parts: dict[str, float] = field(default_factory=dict)  # the score's components, for reports and tests

    @property
    def text(self) -> str:
        return " ".join(self.sentences[0].text.split())

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(s.article_id for s in self.sentences))


def _usable(text: str, n_words: int) -> bool:
    """A whole prose sentence: not cut off ("..." ends an excerpt), not instructions, in the outlet's
    own voice (not a piece of a quote that runs over several sentences), and not the page's furniture
    (a caption, a credit, a prompt, a correction note: :func:`summarizer.text.fitness.unfit`)."""
    return (MIN_WORDS <= n_words <= MAX_WORDS and not injection_markers(text)
            and re.search(r"[.!?\"”’)]$", text) is not None and not text.rstrip("\"”’) ").endswith(("...", "…"))
            and not _inside_quote(text) and unfit(text) is None)


# A dateline ("WASHINGTON —", "KYIV, Ukraine (AP) —") or a section label ("Driving the news:",
# "State of play:") opens many wire and newsletter sentences. It is the outlet's furniture, not
# the fact: the sentence starts after it, so its text (still a verbatim span) reads on its own.
# A wire dateline, its dash an em or en dash or a spaced hyphen ("KATHMANDU (Reuters) - ", "OTTAWA -- ");
# a photo's "FILE - " is a caption's, not a dateline (the fitness rules keep captions out).
_DATELINE = re.compile(r"^(?!FILE\b)[A-Z]{3,}[A-Z .'’-]*?(?:,\s*[A-Z][\w.'’ ]{1,25})?\s*(?:\([^)]{1,20}\))?"
                       r"(?:\s*[—–]\s*|\s+--?\s+)(?=[A-Z“\"‘'])")
_LABEL = re.compile(r"^([A-Z][a-z'’]*(?: [a-z'’]+){1,3}):\s+(?=[A-Z“\"‘'])")
# "UPDATE:" opens the latest state of the story ("UPDATE: The girl was located Tuesday"): the sentence
# is kept (it supersedes what the article said before), its label is not.
_UPDATE = re.compile(r"^(?:UPDATE|Update|UPDATED|Updated)\b(?:\s*\([^)]{0,40}\))?(?:\s+\d{1,2}:\d{2}\s*[ap]\.?m\.?)?\s*[:—–-]\s+(?=\S)")
_SPEECH_WORD = re.compile(r"\b(?:" + SPEECH_VERBS + r"|saying|asking|telling)\b")
# First person outside quotation marks: the words of a speaker whose quote the splitter cut into
# sentences ("Our caucus held together."), which out of context read as the brief's own voice.
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|me)\b")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _lead_in(text: str) -> int:
    """How many characters of dateline or section label open ``text``."""
    m = _DATELINE.match(text) or _UPDATE.match(text)
    if m:
        return m.end()
    m = _LABEL.match(text)
    if m and not _SPEECH_WORD.search(m.group(1)):
        return m.end()
    return 0


def _inside_quote(text: str) -> bool:
    """Part of a longer quotation: unbalanced quotation marks, or first person outside any quote."""
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return True
    return _FIRST_PERSON.search(_QUOTED.sub(" ", text)) is not None


_DANGLING_START = re.compile(r"^(?:He|She|It|They|This|That|These|Those|His|Her|Their|But|And|Also)\b")


def neutral_rendering(text: str) -> bool:
    """A sentence the brief may say in its own voice: it stands on its own and uses no loaded words.

    One that opens with a pronoun ("He added ...") means nothing out of its article, and an
    outlet's loaded words ("fumed", "far-left") must not become the brief's voice.
    """
    return not _DANGLING_START.match(text.lstrip("“\"‘' ")) and not find_loaded(text)


def fact_sentence(fact: Fact, origin: Origin = "fact") -> CitedSentence | None:
    """A fact's own source sentence, cited to every outlet that reports it.

    The rendering chosen is the first that stands on its own and is neutral (:func:`neutral_rendering`);
    the others are its evidence too. None when no rendering qualifies. ``origin`` says why it is in
    the brief (``"coverage"`` when coverage adds it).
    """
    for s in fact.sentences:
        if neutral_rendering(s.text):
            refs = [s.ref()] + [x.ref() for x in fact.sentences if x is not s]
            return CitedSentence(text=" ".join(s.text.split()), sources=fact.articles, evidence=refs, origin=origin)
    return None


def article_sentences(articles: Sequence[Article]) -> list[Sentence]:
    """The prose sentences of every article, with stable ids: the first MAX_PER_ARTICLE of each, and
    at most MAX_SENTENCES in all (taken lead-first across articles)."""
    per_article: list[list[Sentence]] = []
    for art in articles:
        found: list[Sentence] = []
        for k, (s, e) in enumerate(sentence_spans(art.text)):
            s += _lead_in(art.text[s:e])
            text = art.text[s:e]
            n = len(text.split())
            if _usable(text, n):
                found.append(Sentence(f"{art.id}:{k}", art.id, k, s, e, text))
                if len(found) >= MAX_PER_ARTICLE:
                    break
        per_article.append(found)
    if sum(map(len, per_article)) <= MAX_SENTENCES:
        return [s for found in per_article for s in found]
    lead_first = [s for depth in range(MAX_PER_ARTICLE) for found in per_article for s in found[depth : depth + 1]]
    keep = {s.id for s in lead_first[:MAX_SENTENCES]}
    return [s for found in per_article for s in found if s.id in keep]


def similarity_matrix(texts: list[str]) -> np.ndarray:
    """Cosine similarities of ``texts`` under the TF-IDF weighting that groups facts."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]  # loaded on use

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b|\d[\d,.]*")
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return np.zeros((len(texts), len(texts)))
    return (matrix @ matrix.T).toarray()


def lexrank(similarity: np.ndarray) -> np.ndarray:
    """LexRank centrality: PageRank over the graph of sentences more similar than the threshold."""
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0)
    adjacency = (similarity >= LEXRANK_THRESHOLD).astype(float)
    np.fill_diagonal(adjacency, 0.0)
    degree = adjacency.sum(axis=1, keepdims=True)
    transition = np.divide(adjacency, degree, out=np.full_like(adjacency, 1.0 / n), where=degree > 0)
    rank = np.full(n, 1.0 / n)
    for _ in range(100):
        new = (1 - DAMPING) / n + DAMPING * transition.T @ rank
        if np.abs(new - rank).sum() < 1e-9:
            break
        rank = new
    return rank / rank.max()


def _group(sentences: list[Sentence], sim: np.ndarray, central: np.ndarray) -> list[list[int]]:
    """Greedy grouping, most central first: a sentence joins the group whose lead it resembles,
    one sentence per article in a group (an article does not restate its own facts)."""
    groups: list[list[int]] = []
    leads: list[int] = []
    outlets: list[set[str]] = []
    for i in sorted(range(len(sentences)), key=lambda i: -central[i]):
        best = None
        if leads:
            near = sim[i, leads]
            for g in np.argsort(-near):
                if near[g] < GROUP_SIMILARITY:
                    break
                if sentences[i].article_id not in outlets[g]:
                    best = int(g)
                    break
        if best is None:
            groups.append([i])
            leads.append(i)
            outlets.append({sentences[i].article_id})
        else:
            groups[best].append(i)
            outlets[best].add(sentences[i].article_id)
    return groups


def _content(text: str) -> float:
    has_figure = bool(figures(text))
    has_name = bool(_NAME.search(text))
    return (has_figure + has_name + bool(_SPEECH.search(text))) / 3


def _scores(group: list[int], sentences: list[Sentence], central: np.ndarray, title_sim: np.ndarray,
            n_articles: int) -> dict[str, float]:
    outlets = {sentences[i].article_id for i in group}
    return {
        "central": float(max(central[i] for i in group)),
        "outlets": len(outlets) / n_articles,
        "position": max(1.0 / (1 + sentences[i].index) for i in group),
        "headline": float(max(title_sim[i].max() if title_sim.shape[1] else 0.0 for i in group)),
        "content": max(_content(sentences[i].text) for i in group),
    }


def _mmr(groups: list[list[int]], scores: list[float], sim: np.ndarray) -> list[int]:
    """Group order by maximal marginal relevance: score, less similarity to what is already chosen."""
    by_score = sorted(range(len(groups)), key=lambda g: (-scores[g], g))
    order: list[int] = []
    left = by_score[:MMR_POOL]
    while left:
        def value(g: int) -> float:
            redundancy = max((sim[groups[g][0], groups[o][0]] for o in order), default=0.0)
            return MMR_LAMBDA * scores[g] - (1 - MMR_LAMBDA) * redundancy
        best = max(left, key=lambda g: (value(g), -g))
        order.append(best)
        left.remove(best)
    return order + by_score[MMR_POOL:]


def find_facts(articles: Sequence[Article]) -> list[Fact]:
    """The cluster's facts, best first (``Fact.id`` is the rank, from 1)."""
    sentences = article_sentences(articles)
    if not sentences:
        return []
    titles = [a.title for a in articles if a.title.strip()]
    sim_all = similarity_matrix([s.text for s in sentences] + titles)
    n = len(sentences)
    sim, title_sim = sim_all[:n, :n], sim_all[:n, n:]
    # A line that repeats a headline is the headline (kept in the text by some sources), not a fact.
    keep = [i for i in range(n) if not title_sim.shape[1] or title_sim[i].max() < HEADLINE_ITSELF]
    if len(keep) < n and keep:
        sentences = [sentences[i] for i in keep]
        sim, title_sim = sim[np.ix_(keep, keep)], title_sim[keep]
    central = lexrank(sim)
    groups = _group(sentences, sim, central)
    parts = [_scores(g, sentences, central, title_sim, len(articles)) for g in groups]
    scores = [sum(WEIGHTS[k] * v for k, v in p.items()) for p in parts]
    facts = []
    for rank, g in enumerate(_mmr(groups, scores, sim), 1):
        # The rendering shown first is the most central one that uses no loaded words: the brief's
        # voice takes its wording from it.
        members = sorted(groups[g], key=lambda i: (bool(find_loaded(sentences[i].text)), -central[i]))
        facts.append(Fact(rank, [sentences[i] for i in members], round(scores[g], 4), parts[g]))
    return facts
