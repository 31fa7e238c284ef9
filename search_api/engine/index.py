"""The Whoosh question index on disk: schema, atomic rebuild, and a live handle.

Layout under the index root: one directory per build (`build-<utc time>-<pid>`)
and a `current` symlink naming the live one. A rebuild writes a new directory and
swaps the symlink with os.replace, so readers in any process see either the old
index or the new one, never half of each.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from search_api.engine.analysis import make_analyzer, make_plain_analyzer

from search_api.engine.corpus import corpus_for
from search_api.engine.analysis import stems
from search_api.engine.documents import Page
from search_api.engine.vocabulary import VOCABULARY_FILE, Vocabulary, VocabularyError, load as load_vocabulary

CURRENT = "current"
MANIFEST = "manifest.json"
KEEP_BUILDS = 3  # older builds are deleted; a few stay for readers still using them


def make_schema() -> Schema:
    stem = make_analyzer()
    return Schema(
        doc_id=ID(stored=True, unique=True),
        kind=ID(stored=True),  # "question" or "article"
        page=ID(stored=True),
        anchor=STORED(),
        # Shown and read back (snippets, confidence, the API's answers), never searched:
        # stored only, so they cost no postings. The index is about 40% smaller for it.
        title=STORED(),
        answer=STORED(),
        body=STORED(),
        tags=STORED(),
        tag_list=STORED(),
        description=STORED(),
        # Search reads these fields' postings (engine/corpus.py, test_search.py holds it
        # to them): each query word costs one lookup per field. `question` is the heading,
        # `about` what the article is about (title, tags, description), `text` what the
        # section says.
        question=TEXT(analyzer=stem, stored=True),
        # The editors' other phrasings of the question (site/phrasings.py), one a line:
        # searched with a weight of their own, read back for confidence, never shown.
        asked=TEXT(analyzer=stem, stored=True),
        about=TEXT(analyzer=stem),
        text=TEXT(analyzer=stem),
        # Vocabulary groups found in the heading and page (ideas_head) and in the section
        # text (ideas_text), expanded once at build time, so a query pays one term per
        # idea instead of one per synonym. Names look like "royalti" or "bank_detail".
        ideas_head=KEYWORD(scorable=True),
        ideas_text=KEYWORD(scorable=True),
        ideas_asked=KEYWORD(scorable=True),
        last_reviewed=STORED(),
        # A law page's status, as-of date and the day its law record was checked ("" on
        # other pages): the assistants' search (api/mcp_server.py) gives them with each answer.
        law_status=STORED(),
        law_as_of=STORED(),
        law_checked=STORED(),
        # Every word as written, for typo correction: a misspelling must be corrected
        # before stemming, or "royalites" is stemmed into something no page contains.
        spell=TEXT(analyzer=make_plain_analyzer(), spelling=True, phrase=False),
    )


class IndexUnavailable(RuntimeError):
    """No index can be served: none was built, or the live one cannot be opened.

    The message says what is wrong and what to run (`make index`).
    """


class IndexBuildError(RuntimeError):
    """A new index cannot be built from the content as it is; the live one is unchanged.

    The message names the cause: the file and line of a bad vocabulary line, or what
    a refused build holds.
    """


@dataclass(frozen=True)
class Manifest:
    built_at: str
    articles: int
    questions: int
    # File name -> sha256 of every index file, checked when the index is opened: a
    # truncated or overwritten segment still opens, then fails the first search.
    files: dict[str, str] = field(default_factory=dict)


def _ideas(vocabulary: Vocabulary, *texts: str) -> str:
    return " ".join(vocabulary.ideas(stems(" ".join(texts))))


def _write_documents(target: Path, pages: list[Page]) -> Manifest:
    # The vocabulary travels with the index it was expanded into, so a query always
    # uses the same groups as the build, whatever happens to the file afterwards.
    try:
        vocabulary = load_vocabulary(VOCABULARY_FILE)
    except VocabularyError as error:  # a bad line stops the build here, named by file and line
        raise IndexBuildError(str(error)) from error
    shutil.copyfile(VOCABULARY_FILE, target / VOCABULARY_FILE.name)
    ix = whoosh_index.create_in(str(target), make_schema())
    questions = 0
    vocabulary_words = " ".join(vocabulary.phrases)
    with ix.writer() as writer:  # a failure inside cancels the writer
        for page in pages:
            tags = " ".join(page.tags)
            writer.add_document(
                doc_id=page.page, kind="article", page=page.page, anchor="",
                title=page.title, question=page.title, answer=page.description,
                body=page.intro, tags=tags, tag_list=list(page.tags),
                description=page.description,
                # Corrections only ever land on topic words (titles, tags and
                # the creators' vocabulary), never on any word a body happens to use:
                # "purple" must not become "people", nor "weather" "whether".
                spell=" ".join((page.title, tags, vocabulary_words)),
                about=" ".join((page.title, tags, page.description)),
                text=page.intro,
                ideas_head=_ideas(vocabulary, page.title, tags, page.description),
                ideas_text=_ideas(vocabulary, page.intro),
                last_reviewed=page.last_reviewed,
                law_status=page.meta.get("status", ""),
                law_as_of=page.meta.get("as_of", ""),
                law_checked=page.meta.get("law_checked", ""),
            )
            for section in page.sections:
                questions += 1
                writer.add_document(
                    doc_id=f"{section.page}#{section.anchor}", kind="question",
                    page=section.page, anchor=section.anchor, title=page.title,
                    question=section.question, answer=section.answer, body=section.body,
                    tags=tags, tag_list=list(page.tags), description=page.description,
                    spell=" ".join((page.title, tags)),
                    about=" ".join((page.title, tags, page.description)),
                    text=section.body,
                    ideas_head=_ideas(vocabulary, section.question, page.title, tags, page.description),
                    ideas_text=_ideas(vocabulary, section.body),
                    asked="\n".join(section.asked),
                    ideas_asked=_ideas(vocabulary, *section.asked),
                    last_reviewed=page.last_reviewed,
                )
    manifest = Manifest(
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        articles=len(pages),
        questions=questions,
        files=fingerprints(target),
    )
    (target / MANIFEST).write_text(json.dumps(manifest.__dict__), encoding="utf-8")
    return manifest


def fingerprints(target: Path) -> dict[str, str]:
    """sha256 of each file Whoosh wrote into `target` (the empty write lock aside)."""
    return {
        f.name: hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(target.iterdir())
        if f.is_file() and f.name != MANIFEST and not f.name.endswith("WRITELOCK")
    }


def check_files(target: Path, manifest: Manifest) -> None:
    """Raise IndexUnavailable naming the first index file that is missing or not as written."""
    for name, digest in manifest.files.items():
        path = target / name
        if not path.is_file():
            raise IndexUnavailable(f"{path} is missing")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise IndexUnavailable(f"{path} is damaged (it changed after the index was built)")


def validate(target: Path, pages: list[Page]) -> None:
    """Refuse an index that does not hold what it should (never swap in a bad one)."""
    ix = whoosh_index.open_dir(str(target))
    with ix.searcher() as searcher:
        expected = len(pages) + sum(len(p.sections) for p in pages)
        if searcher.doc_count() != expected:
            raise IndexBuildError(f"new index holds {searcher.doc_count()} documents, expected {expected}")
    if not pages:
        raise IndexBuildError("the built site has no pages; run `make site` first")


def build_index(pages: list[Page], root: Path) -> Path:
    """Write a fresh index for `pages` under `root` and make it the live one.

    Raises IndexBuildError when the content cannot make an index (a bad vocabulary
    line, a build that does not hold every page); the live index is then unchanged.
    """
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    target = root / f"build-{stamp}-{os.getpid()}"
    target.mkdir()
    try:
        _write_documents(target, pages)
        validate(target, pages)
    except Exception:
        shutil.rmtree(target, ignore_errors=True)
        raise
    link = root / f".{CURRENT}-{stamp}-{os.getpid()}"
    os.symlink(target.name, link)
    os.replace(link, root / CURRENT)
    _prune(root, keep=target.name)
    return target


def _prune(root: Path, keep: str) -> None:
    builds = sorted(p for p in root.glob("build-*") if p.is_dir())
    for old in builds[:-KEEP_BUILDS]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def current_target(root: Path) -> Path:
    link = root / CURRENT
    try:
        return root / os.readlink(link)
    except OSError as error:
        raise IndexUnavailable(f"no index at {link}; run `make index` to build it") from error


class LiveIndex:
    """The loaded index; reopens itself when a rebuild has swapped the symlink."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._target: Path | None = None
        self._ix: whoosh_index.Index | None = None
        self._manifest: Manifest | None = None
        self.refresh()

    def refresh(self) -> None:
        target = current_target(self.root)
        if target == self._target:
            return
        with self._lock:
            if target == self._target:
                return
            try:
                ix = whoosh_index.open_dir(str(target))
                manifest = Manifest(**json.loads((target / MANIFEST).read_text(encoding="utf-8")))
                check_files(target, manifest)
                # Load the ranking data now, so no request pays for it after a swap.
                corpus_for(ix)
            except Exception as error:  # whoosh raises many kinds on a damaged index
                raise IndexUnavailable(f"index at {target} cannot be opened ({error}); run `make index`") from error
            # Old Index objects are left to the garbage collector: a request that is
            # still using one keeps working, and its files stay readable after delete.
            self._ix, self._manifest, self._target = ix, manifest, target

    def is_current(self) -> bool:
        """Whether `get` would answer at once: loaded, and the symlink still names that build."""
        try:
            return self._ix is not None and current_target(self.root) == self._target
        except IndexUnavailable:
            return False

    def get(self) -> tuple[whoosh_index.Index, Manifest]:
        """The newest index, checked against the symlink on every call."""
        try:
            self.refresh()
        except IndexUnavailable:
            if self._ix is None:
                raise
            # The link is briefly unreadable or the new build is bad: keep serving the old.
        assert self._ix is not None and self._manifest is not None
        return self._ix, self._manifest
