"""Domain errors. Each carries one sentence a user can act on; the CLI prints it without a traceback.

The user reads Japanese: a message is one Japanese sentence naming the file or device concerned;
an English detail may follow in parentheses (the OS error, FFmpeg's or tomllib's reason), and
command names, flags and paths stay as they are.
"""

# The one line a failure prints on stderr (cli.py), and the prefix of a note that does not stop
# the command (a broken question set skipped, a session kept after an interruption).
ERROR_PREFIX = "mensetsu: エラー: "
NOTE_PREFIX = "mensetsu: 注意: "


class MensetsuError(Exception):
    """Base class: str(error) is the whole user-facing message."""

    exit_code = 1


class AudioError(MensetsuError):
    """Audio that cannot be read, or holds nothing usable."""

    exit_code = 3


class ModelError(MensetsuError):
    """The transcription model is missing, damaged or cannot be loaded."""

    exit_code = 4


class SessionError(MensetsuError):
    """A saved session that is missing, damaged or of an unknown format."""

    exit_code = 5


class QuestionSetError(MensetsuError):
    """A question set or company file that cannot be used; the message names file and line."""

    exit_code = 6


class DeviceError(MensetsuError):
    """A microphone or speaker problem (missing PortAudio, no device, device lost)."""

    exit_code = 7


class TargetError(QuestionSetError):
    """A target (`prepare`, `--target`) that cannot be used: a document that cannot be read, a bad name.

    Like a company or round-one file it is an interview input, so it shares exit code 6.
    """
