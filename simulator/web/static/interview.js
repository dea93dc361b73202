"use strict";
// The interview page: the microphone goes to the server as 16 kHz PCM over the WebSocket; the
// server's interview (the same loop as terminal practice) sends back what to show and to play.
(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const num = (k) => (params.has(k) && params.get(k) !== "" ? parseInt(params.get(k), 10) : undefined);
  const config = {
    set: params.get("set") || "core",
    mode: params.get("mode") || "full",
    target: params.get("target") || undefined,
    max_questions: num("max_questions"),
    max_probes: num("max_probes"),
    text_only: params.get("text_only") === "1",
    review: params.get("review") === "1",
    mic_check: params.get("mic_check") !== "0",
  };
  let ws = null, mic = null, out = null, current = null, level = -100, finished = false;
  const state = { started: false, answer_s: 0 };

  function notice(text) {
    const box = $("notices");
    box.append(M.el("p", { text }));
    box.scrollTop = box.scrollHeight;
    if (text.startsWith("面接官: ")) $("status").textContent = text;
  }
  function send(obj) { if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj)); }
  function key(k) { if (!finished) send({ type: "key", key: k }); }

  async function play(ev) {
    // the interviewer's voice: WAV from the server, played here; the server waits for "played"
    try {
      const bytes = Uint8Array.from(atob(ev.wav), (c) => c.charCodeAt(0));
      const buffer = await out.decodeAudioData(bytes.buffer);
      const src = out.createBufferSource();
      src.buffer = buffer;
      src.connect(out.destination);
      current = { id: ev.id, src };
      src.onended = () => { if (current && current.id === ev.id) current = null; send({ type: "played", id: ev.id }); };
      src.start();
    } catch (e) {
      notice(`音声を再生できませんでした（${e.name || e.message}）。`);
      send({ type: "played", id: ev.id });
    }
  }

  function listening(ev) {
    state.started = ev.started; state.answer_s = ev.answer_s;
    const t = ev.started ? ev.answer_s : 0;
    $("timer").textContent = `回答 ${M.mmss(t)} / 1:00 目安`;
    $("timer").classList.toggle("over", t > 60);
    const remaining = Math.max(0, ev.end_silence_s - ev.silence_s);
    const pausing = ev.started && !ev.speaking && ev.silence_s > 0.8;
    $("status").textContent = !ev.started ? "考えがまとまったら話し始めてください。"
      : pausing ? `間をとっています…（あと ${remaining.toFixed(1)} 秒で回答終了）` : "聞いています";
    if (ev.heard !== undefined) $("heard").textContent = ev.heard;
  }

  function card(ev) {
    $("cards-wrap").hidden = false;
    const box = M.el("div", { class: "turncard", "data-turn": String(ev.turn) });
    for (const line of ev.lines) box.append(M.el("p", { text: line }));
    $("cards").prepend(box);
    $("heard").textContent = ev.transcript || "";
  }

  function done(ev) {
    finished = true;
    $("stage").hidden = true;
    $("done").hidden = false;
    $("done-text").textContent = ev.text || "";
    const links = $("done-links");
    if (ev.session) {
      const sid = encodeURIComponent(ev.session);
      links.append(M.el("a", { class: "button primary", href: `/sessions/${sid}/report`, text: "レポートを見る" }), " ",
        M.el("a", { class: "button", href: `/sessions/${sid}/replay`, text: "再生する" }), " ");
    }
    links.append(M.el("a", { class: "button", href: "/", text: "ホームへ" }));
    document.body.dataset.done = ev.outcome || "done";
    if (ev.session) document.body.dataset.session = ev.session;
    shutdown();
  }

  function shutdown() {
    if (mic) { mic.close(); mic = null; }
    if (ws) { try { ws.close(); } catch (e) {} }
  }

  function onEvent(ev) {
    switch (ev.type) {
      case "start": $("title").textContent = `${ev.title}（質問 ${ev.total} 問）`; break;
      case "turn": $("turnlabel").textContent = `${ev.label} ${ev.number}/${ev.total}`; break;
      case "prompt":
        $("question").textContent = ev.text; $("heard").textContent = "";
        $("status").textContent = ev.spoken ? "（面接官が話しています）" : "";
        $("timer").textContent = "回答 0:00 / 1:00 目安"; break;
      case "play": play(ev); break;
      case "stop_audio": if (current && current.id === ev.id) { try { current.src.stop(); } catch (e) {} } break;
      case "listening": listening(ev); break;
      case "notice": notice(ev.text); break;
      case "analysing": $("status").textContent = "回答を確認しています…"; break;
      case "card": card(ev); break;
      case "done": done(ev); break;
      case "error":
        $("error").textContent = ev.text;
        if (!finished && !state.began) shutdown();
        break;
    }
  }

  async function begin() {
    $("begin").disabled = true;
    $("error").textContent = "";
    try {
      out = new AudioContext();
      await out.resume();
      mic = await M.openMic((block) => {
        level = Math.max(M.dbfs(block), level - 1.5);
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(block.buffer);
      });
    } catch (e) {
      $("error").textContent = `マイクを使えません（${e.name || e.message}）。ブラウザでこのページのマイクを許可してください。`;
      $("begin").disabled = false;
      return;
    }
    ws = new WebSocket(`ws://${location.host}/ws`);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => {
      $("ready").hidden = true; $("stage").hidden = false;
      ws.send(JSON.stringify({ type: "start", config, device: mic.label }));
      state.began = true;
    };
    ws.onmessage = (m) => { try { onEvent(JSON.parse(m.data)); } catch (e) { console.error(e); } };
    ws.onclose = () => {
      if (!finished) { $("error").textContent = $("error").textContent || "サーバーとの接続が切れました。それまでの回答は保存されています。"; shutdown(); }
    };
    setInterval(() => { $("meter").style.width = M.meterPercent(level) + "%"; }, 80);
  }

  $("begin").addEventListener("click", begin);
  $("end-answer").addEventListener("click", () => key("enter"));
  $("repeat").addEventListener("click", () => key("repeat"));
  $("stop").addEventListener("click", () => { if (!finished) { send({ type: "stop" }); $("status").textContent = "中断しています…"; } });
  document.addEventListener("keydown", (e) => {
    if (!ws || finished || e.repeat) return;
    if (e.key === "Enter") { e.preventDefault(); key("enter"); }
    else if (e.key === "r" || e.key === "R") key("repeat");
    else if (e.key === "q" || e.key === "Q") key("quit");
  });
  window.addEventListener("beforeunload", () => { if (ws && !finished) send({ type: "stop" }); });
})();
