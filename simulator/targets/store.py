"""Named targets on disk: one folder of plain files per target in `<data home>/targets/NAME/`.

    target.toml        company name, competitors, where each document came from
    company_notes.md   what the candidate found about the company (HP, IR, interviews)
    posting.md         the job posting
    resume.md          the 職務経歴書, as text
    round_one.md       the round-one notes (questions, how each went, what was doubted)

Every file is readable and editable by the user; what the interviewer uses is derived from them
each time a target is loaded, so an edit shows in the next interview. A target is written whole
or not at all: the folder is built under a hidden name and renamed into place. A name that is
not a plain folder name (a path separator, a leading dot, `..`) is refused before anything is
touched. The shipped example target (simulator/data/targets/example/) loads as `example` unless
the user has one of that name.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from simulator.errors import QuestionSetError, TargetError

TARGET_FILE = "target.toml"
# part -> (file name, what it is, as the user reads it)
PARTS: dict[str, tuple[str, str]] = {
    "company_notes": ("company_notes.md", "会社について調べたメモ"),
    "posting": ("posting.md", "求人票"),
    "resume": ("resume.md", "職務経歴書"),
    "round_one": ("round_one.md", "一次面接のメモ"),
}
EXAMPLE = "example"
MAX_NAME = 64
_BAD_NAME_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def example_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "targets" / EXAMPLE


def targets_dir(create: bool = True) -> Path:
    from simulator.fsutil import private_dir
    from simulator.paths import data_home

    folder = data_home() / "targets"
    if create:
        try:
            private_dir(folder)
        except OSError as exc:
            raise TargetError(f"ターゲットのフォルダ {folder} を作れません（{exc.strerror or exc}）。MENSETSU_HOME に書き込めるフォルダを指定してください。") from None
    return folder


def check_name(name: str) -> str:
    """The name itself when it is a plain folder name inside the targets folder; TargetError otherwise."""
    bad = (
        not isinstance(name, str)
        or not name.strip()
        or name != name.strip()
        or name in (".", "..")
        or name.startswith(".")
        or len(name) > MAX_NAME
        or _BAD_NAME_CHARS.search(name) is not None
    )
    if not bad:
        root = targets_dir(create=False)
        folder = root / name
        bad = folder.resolve(strict=False).parent != root.resolve(strict=False) or folder.is_symlink()
    if bad:
        raise TargetError(
            f"ターゲット名 {name!r} は使えません（データフォルダの外を指す名前、/ \\ : * ? \" < > | を含む名前、"
            f"先頭が . の名前、{MAX_NAME}文字を超える名前は使えません）。英数字・かな・漢字・-・_ で名前を付けてください。"
        )
    return name


@dataclass(frozen=True)
class Target:
    name: str
    folder: Path
    company_name: str = ""
    competitors: tuple[str, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)  # part -> text (parts with no file are absent)
    sources: dict[str, str] = field(default_factory=dict)  # part -> the file it was read from
    builtin: bool = False
    updated_at: str = ""

    # What the interviewer uses, derived from the files (pure extractors; see their modules).
    @cached_property
    def research(self):
        from simulator.targets.research import parse_research

        return parse_research(self.texts.get("company_notes", ""), self.company_name, self.competitors)

    @cached_property
    def posting(self):
        from simulator.targets.posting import Posting, parse_posting

        return parse_posting(self.texts["posting"]) if "posting" in self.texts else Posting()

    @cached_property
    def achievements(self):
        from simulator.targets.resume import achievements, ranked

        return ranked(achievements(self.texts["resume"])) if "resume" in self.texts else []

    @cached_property
    def round_one_notes(self):
        from simulator.targets.round_one_notes import parse_notes

        return parse_notes(self.texts["round_one"]) if "round_one" in self.texts else []

    @cached_property
    def company(self):
        """The CompanyProfile (interview/company.py) from the research notes and competitors, or None."""
        if not self.research.company:
            return None
        return self.research.profile()

    @cached_property
    def round_one(self):
        """The RoundOne (interview/round_one.py) from the notes, weakest first, or None."""
        from simulator.targets.round_one_notes import round_one

        return round_one(self.round_one_notes)

    def path_of(self, part: str) -> Path:
        return self.folder / PARTS[part][0]


def target_exists(name: str) -> bool:
    check_name(name)
    return (targets_dir(create=False) / name).is_dir()


def load_target(name: str) -> Target:
    check_name(name)
    folder = targets_dir(create=False) / name
    builtin = False
    if not folder.is_dir():
        if name != EXAMPLE:
            raise TargetError(f"ターゲット {name!r} はありません。mensetsu prepare --list で一覧を見るか、mensetsu prepare {name} で作ってください。")
        folder, builtin = example_dir(), True
    return read_target_folder(folder, name, builtin)


def read_target_folder(folder: Path, name: str, builtin: bool = False) -> Target:
    from simulator.interview.toml_file import read_toml
    from simulator.targets.documents import decode_text

    meta: dict = {}
    if (folder / TARGET_FILE).is_file():
        try:
            meta, _raw = read_toml(folder / TARGET_FILE, "ターゲットの設定ファイル")
        except QuestionSetError as exc:
            raise TargetError(str(exc)) from None
    texts: dict[str, str] = {}
    for part, (filename, label) in PARTS.items():
        path = folder / filename
        if not path.is_file():
            continue
        try:
            text = decode_text(path.read_bytes(), f"{label}のファイル {path}")  # an edit saved as Shift_JIS still reads
        except OSError as exc:
            raise TargetError(f"{label}のファイル {path} を読み込めません（{exc.strerror or exc}）。") from None
        if text.strip():
            texts[part] = text
    competitors = meta.get("competitors", [])
    if isinstance(competitors, str):
        competitors = [competitors]
    if not isinstance(competitors, list) or not all(isinstance(c, str) for c in competitors):
        raise TargetError(f"ターゲットの設定ファイル {folder / TARGET_FILE} の competitors は文字列のリストにしてください。")
    sources = meta.get("sources", {})
    return Target(
        name=name,
        folder=folder,
        company_name=str(meta.get("company_name", "") or "").strip(),
        competitors=tuple(c.strip() for c in competitors if c.strip()),
        texts=texts,
        sources={k: str(v) for k, v in sources.items()} if isinstance(sources, dict) else {},
        builtin=builtin,
        updated_at=str(meta.get("updated_at", "")),
    )


def list_targets() -> list[Target]:
    """The user's targets (by name), then the shipped example when no target of its name exists."""
    root = targets_dir(create=False)
    out: list[Target] = []
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            try:
                out.append(read_target_folder(folder, folder.name))
            except TargetError:
                out.append(Target(folder.name, folder))  # listed even when a file is broken: --show says what
    if not any(t.name == EXAMPLE for t in out):
        out.append(read_target_folder(example_dir(), EXAMPLE, builtin=True))
    return out


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def render_target_toml(company_name: str, competitors: tuple[str, ...], sources: dict[str, str], updated_at: str) -> str:
    lines = [
        "# mensetsu prepare のターゲット（docs/prepare.md）。このフォルダのファイルはどれも自由に編集できます。",
        f"company_name = {_toml_string(company_name)}",
        "competitors = [" + ", ".join(_toml_string(c) for c in competitors) + "]",
        f"updated_at = {_toml_string(updated_at)}",
        "",
        "[sources]  # 読み込んだ元のファイル",
    ]
    lines += [f"{part} = {_toml_string(src)}" for part, src in sources.items()]
    return "\n".join(lines) + "\n"


def save_target(name: str, company_name: str, competitors: tuple[str, ...], texts: dict[str, str],
                sources: dict[str, str] | None = None, replace: bool = False) -> Path:
    """Write the target whole (staging folder, then one rename); an existing one only with replace=True."""
    from simulator.fsutil import atomic_write_bytes, fsync_dir, private_dir

    check_name(name)
    root = targets_dir()
    final = root / name
    if final.exists() and not replace:
        raise TargetError(f"ターゲット {name!r} はすでにあります。変えるときは mensetsu prepare --edit {name} を使ってください。")
    stamp = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    staging = root / f".{name}.staging-{os.getpid()}"
    old = root / f".{name}.old-{os.getpid()}"
    try:
        if staging.exists():
            shutil.rmtree(staging)
        private_dir(staging)
        atomic_write_bytes(staging / TARGET_FILE,
                           render_target_toml(company_name, tuple(competitors), dict(sources or {}), stamp).encode("utf-8"))
        for part, text in texts.items():
            if text and text.strip():
                atomic_write_bytes(staging / PARTS[part][0], (text if text.endswith("\n") else text + "\n").encode("utf-8"))
        if final.exists():
            os.rename(final, old)
            os.rename(staging, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, final)
        fsync_dir(root)
    except OSError as exc:
        if old.exists() and not final.exists():
            os.rename(old, final)  # the target as it was
        raise TargetError(f"ターゲット {name!r} を {root} に保存できません（{exc.strerror or exc}）。何も保存していません。") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return final
