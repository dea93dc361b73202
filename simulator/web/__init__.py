"""`mensetsu web`: the live interview, replay, reports and history as local pages (docs/web.md).

app.py is the Starlette application (127.0.0.1 only, a token per start, the Origin checked);
devices.py holds the browser's twins of the microphone, speaker, keys and screen, which plug into
the same LiveAnswers and interview loop as terminal practice (commands/practice.py: prepare,
build_live, conduct); security.py the pure checks; static/ the pages (plain HTML, JS and CSS).
"""
