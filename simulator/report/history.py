"""Every saved session indexed in SQLite, so trends and reviews are quick to compute.

The session folders are the truth; the database is only an index of them. Every open syncs it:
a folder whose meta.json or turns.jsonl changed (size or mtime) is re-read, a new one added, a
removed one dropped. A damaged or unknown-version database is deleted and rebuilt, since it
holds nothing that the folders do not. Schema: docs/reports.md.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from simulator.errors import MensetsuError, SessionError
from simulator.paths import data_home, sessions_dir
from simulator.report.review import Attempt, ReviewItem, attempt_score, review_order, review_plan
from simulator.analysis.catalogue import severity
from simulator.report.view import session_totals
from simulator.store.session_store import counts_as_practice

DB_NAME = "history.sqlite3"
SCHEMA_VERSION = 2  # 2: sessions.practice

SCHEMA = """
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,             -- the session folder's name
    folder TEXT NOT NULL,
    started_at TEXT NOT NULL,
    status TEXT,
    set_id TEXT,
    set_title TEXT,
    mode TEXT,
    meta_mtime_ns INTEGER NOT NULL, meta_size INTEGER NOT NULL,
    turns_mtime_ns INTEGER NOT NULL, turns_size INTEGER NOT NULL,
    turns INTEGER NOT NULL,
    mean_answer_s REAL,              -- mean answer length over answered turns
    fillers_per_min REAL,            -- all fillers / all answer minutes
    morae_per_min REAL,              -- all morae / all answer minutes
    findings INTEGER NOT NULL,       -- findings over all turns
    practice INTEGER NOT NULL        -- 0: a demo, or nothing was heard (kept out of trends and review)
);
CREATE TABLE turns (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    turn INTEGER NOT NULL,
    kind TEXT NOT NULL,              -- question | probe
    question_id TEXT NOT NULL,
    category TEXT,
    prompt_text TEXT NOT NULL,
    answer_s REAL,
    fillers_total INTEGER,
    fillers_per_min REAL,
    morae_per_min REAL,
    transcript TEXT,
    PRIMARY KEY (session_id, turn)
);
CREATE TABLE findings (
    session_id TEXT NOT NULL,
    turn INTEGER NOT NULL,
    finding_id TEXT NOT NULL,
    evidence TEXT,
    severity INTEGER NOT NULL,
    FOREIGN KEY (session_id, turn) REFERENCES turns(session_id, turn) ON DELETE CASCADE
);
CREATE INDEX turns_by_question ON turns(question_id);
CREATE INDEX findings_by_id ON findings(finding_id);
"""


@dataclass(frozen=True)
class SessionRow:
    id: str
    folder: str
    started_at: str
    status: str
    set_id: str
    turns: int
    mean_answer_s: float | None
    fillers_per_min: float | None
    morae_per_min: float | None
    findings: int


@dataclass(frozen=True)
class QuestionRow:
    question_id: str
    text: str
    attempts: int
    latest_score: int
    total_score: int
    latest_findings: tuple[str, ...]


@dataclass
class SyncResult:
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: list[str] = field(default_factory=list)  # "folder: reason" for folders that could not be read


def db_path() -> Path:
    return data_home() / DB_NAME


def _signature(folder: Path) -> tuple[int, int, int, int]:
    meta = (folder / "meta.json").stat()
    try:
        turns = (folder / "turns.jsonl").stat()
        t = (turns.st_mtime_ns, turns.st_size)
    except FileNotFoundError:
        t = (0, -1)
    return (meta.st_mtime_ns, meta.st_size, *t)


class HistoryIndex:
    """The SQLite index over a sessions folder. Use open_history() to get a synced one."""

    def __init__(self, path: Path | None = None, root: Path | None = None):
        self.path = Path(path) if path else db_path()
        self.root = Path(root) if root else sessions_dir()
        from simulator.store.session_store import extra_session_roots

        # The default index also covers the folders sessions were saved in with --out.
        self.roots = [self.root] if root else [self.root, *(r for r in extra_session_roots() if r != self.root)]
        self.conn = self._connect()

    def _connect(self) -> sqlite3.Connection:
        for attempt in range(2):
            try:
                conn = sqlite3.connect(self.path)
                conn.execute("PRAGMA foreign_keys = ON")
                version = self._schema_version(conn)
                if version == SCHEMA_VERSION:
                    return conn
                if version is None and not self._has_tables(conn):
                    with conn:
                        conn.executescript(SCHEMA)
                        conn.execute("INSERT INTO info VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                    return conn
                conn.close()
            except sqlite3.DatabaseError:
                pass
            except OSError as exc:
                raise MensetsuError(f"履歴データベース {self.path} を開けません（{exc.strerror}）。") from None
            # An old, foreign or damaged index: it is only a cache of the folders, so rebuild it.
            if attempt == 0:
                for suffix in ("", "-journal", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        raise MensetsuError(f"履歴データベース {self.path} を作成できません。")

    @staticmethod
    def _has_tables(conn) -> bool:
        return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0

    @staticmethod
    def _schema_version(conn) -> int | None:
        try:
            row = conn.execute("SELECT value FROM info WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:
            return None
        return int(row[0]) if row and str(row[0]).isdigit() else -1

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- keeping the index equal to the folders -------------------------------------------
    def sync(self) -> SyncResult:
        from simulator.store.session_store import load_session

        result = SyncResult()
        known = {row[0]: tuple(row[1:]) for row in self.conn.execute("SELECT id, meta_mtime_ns, meta_size, turns_mtime_ns, turns_size FROM sessions")}
        on_disk: set[str] = set()
        folders = [p for root in self.roots if root.is_dir() for p in sorted(root.iterdir()) if p.is_dir() and (p / "meta.json").is_file()]
        with self.conn:
            for folder in folders:
                try:
                    sig = _signature(folder)
                except OSError:
                    continue
                if folder.name in on_disk:
                    result.skipped.append(f"{folder}: another session folder has the same name; only the first is listed.")
                    continue
                on_disk.add(folder.name)
                if known.get(folder.name) == sig:
                    continue
                try:
                    session = load_session(folder)
                except SessionError as exc:
                    result.skipped.append(str(exc))
                    on_disk.discard(folder.name)  # not readable now: drop any older rows for it
                    continue
                existed = folder.name in known
                self.conn.execute("DELETE FROM sessions WHERE id = ?", (folder.name,))
                try:
                    self._insert(folder.name, session, sig)
                except (KeyError, TypeError, ValueError) as exc:
                    # A record that parses as JSON but lacks fields: skip the folder, say which.
                    self.conn.execute("DELETE FROM sessions WHERE id = ?", (folder.name,))
                    result.skipped.append(f"{folder}: a turn record is incomplete ({exc.__class__.__name__}: {exc}).")
                    on_disk.discard(folder.name)
                    continue
                if existed:
                    result.updated += 1
                else:
                    result.added += 1
            for gone in set(known) - on_disk:
                self.conn.execute("DELETE FROM sessions WHERE id = ?", (gone,))
                result.removed += 1
        return result

    def _insert(self, sid: str, session, sig) -> None:
        m = session.meta
        totals = session_totals(session.turns)
        self.conn.execute(
            "INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                sid,
                str(session.folder),
                str(m.get("started_at") or sid),
                m.get("status"),
                m.get("set"),
                m.get("set_title"),
                m.get("mode"),
                *sig,
                len(session.turns),
                totals["mean_answer_s"],
                totals["fillers_per_min"],
                totals["morae_per_min"],
                totals["findings"],
                int(counts_as_practice(m)),
            ),
        )
        for t in session.turns:
            p, a = t["prompt"], t["analysis"]
            self.conn.execute(
                "INSERT OR REPLACE INTO turns VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    sid,
                    int(t["turn"]),
                    p["kind"],
                    p["question_id"],
                    p.get("category"),
                    p["text"],
                    a.get("answer_s"),
                    a["fillers"]["total"],
                    a["fillers"]["per_min"],
                    a.get("morae_per_min"),
                    a.get("transcript"),
                ),
            )
            for f in a.get("findings", []):
                self.conn.execute("INSERT INTO findings VALUES (?,?,?,?,?)", (sid, int(t["turn"]), f["id"], f.get("evidence"), severity(f["id"])))

    # --- queries -------------------------------------------------------------------------
    def sessions(self) -> list[SessionRow]:
        rows = self.conn.execute(
            "SELECT id, folder, started_at, status, set_id, turns, mean_answer_s, fillers_per_min, morae_per_min, findings "
            "FROM sessions WHERE practice = 1 ORDER BY started_at, id"
        )
        return [SessionRow(*r) for r in rows]

    def attempts(self) -> tuple[list[Attempt], int]:
        """One attempt per (session, question), and the number of sessions with turns."""
        order = [r[0] for r in self.conn.execute("SELECT id FROM sessions WHERE turns > 0 AND practice = 1 ORDER BY started_at, id")]
        index = {sid: i for i, sid in enumerate(order)}
        findings: dict[tuple[str, str], list[str]] = {}
        for sid, qid in self.conn.execute("SELECT DISTINCT session_id, question_id FROM turns"):
            if sid in index:
                findings[(sid, qid)] = []
        for sid, qid, fid in self.conn.execute(
            "SELECT t.session_id, t.question_id, f.finding_id FROM findings f JOIN turns t ON t.session_id = f.session_id AND t.turn = f.turn"
        ):
            if (sid, qid) in findings:
                findings[(sid, qid)].append(fid)
        attempts = [Attempt(qid, index[sid], tuple(fs)) for (sid, qid), fs in findings.items()]
        attempts.sort(key=lambda a: (a.session_index, a.question_id))
        return attempts, len(order)

    def question_texts(self) -> dict[str, str]:
        """The latest main-question wording for each question id."""
        rows = self.conn.execute(
            "SELECT t.question_id, t.prompt_text FROM turns t JOIN sessions s ON s.id = t.session_id "
            "WHERE t.kind = 'question' AND s.practice = 1 ORDER BY s.started_at, s.id, t.turn"
        )
        return {qid: text for qid, text in rows}

    def worst_questions(self, limit: int = 5) -> list[QuestionRow]:
        """Questions whose answers went worst: latest attempt's severity, then over all attempts."""
        attempts, _ = self.attempts()
        texts = self.question_texts()
        by_q: dict[str, list[Attempt]] = {}
        for a in attempts:
            by_q.setdefault(a.question_id, []).append(a)
        rows = []
        for qid, hist in by_q.items():
            latest = max(hist, key=lambda a: a.session_index)
            total = sum(attempt_score(a.findings) for a in hist)
            if total == 0:
                continue
            rows.append(QuestionRow(qid, texts.get(qid, qid), len(hist), attempt_score(latest.findings), total, tuple(dict.fromkeys(latest.findings))))
        rows.sort(key=lambda r: (-r.latest_score, -r.total_score, r.question_id))
        return rows[:limit]

    def review(self, order=(), limit: int | None = None, due_only: bool = True) -> list[ReviewItem]:
        attempts, count = self.attempts()
        if due_only:
            return review_order(attempts, count, order, limit)
        return review_plan(attempts, count, order)[:limit]


def open_history(path: Path | None = None, root: Path | None = None) -> tuple[HistoryIndex, SyncResult]:
    index = HistoryIndex(path, root)
    return index, index.sync()


def review_question_set(qset, limit: int | None = None, root: Path | None = None, db: Path | None = None):
    """The question set reordered for review: the due questions of qset, most needed first.

    Returns (QuestionSet or None when nothing is due, the ReviewItems). Used by `run --review`
    and meant for `practice --review`: the interview loop then asks these questions with their
    usual probes.
    """
    from dataclasses import replace

    index, _ = open_history(db, root)
    with index:
        ids = [q.id for q in qset.questions]
        items = [it for it in index.review(order=ids) if it.question_id in ids]
    if limit is not None:
        items = items[:limit]
    if not items:
        return None, []
    questions = tuple(qset.question(it.question_id) for it in items)
    # The id stays the set's own, so the session still names a set that can be loaded.
    return replace(qset, title=f"{qset.title}（復習）", questions=questions), items
