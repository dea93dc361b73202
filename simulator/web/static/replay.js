"use strict";
// Replay: each turn's question and answer audio, the transcript following the answer as it plays.
(async function () {
  const sid = location.pathname.split("/")[2];
  const box = document.getElementById("turns");
  let data;
  try { data = await M.json(`/api/sessions/${sid}`); } catch (e) { box.textContent = `読み込めませんでした: ${e.message}`; return; }
  const meta = data.meta || {};
  document.getElementById("title").textContent = `再生: ${meta.set_title || meta.set || ""}（${String(meta.started_at || "").slice(0, 16).replace("T", " ")}）`;
  document.getElementById("links").append(M.el("a", { href: `/sessions/${sid}/report`, text: "レポート" }), " ・ ", M.el("a", { href: "/sessions", text: "セッション一覧" }));
  box.textContent = "";
  box.classList.remove("muted");
  if (!data.turns.length) { box.textContent = "完了した回答はありません。"; return; }
  for (const t of data.turns) {
    const p = t.prompt || {}, a = t.answer || {}, an = t.analysis || {};
    const sec = M.el("section", { class: "card replay-turn", id: `turn-${t.turn}` });
    sec.append(M.el("p", { class: "muted small", text: `${t.turn}. ${p.kind === "question" ? "質問" : "深掘り"}` }));
    sec.append(M.el("p", { class: "prompt", text: `面接官: ${p.text || ""}` }));
    if (p.audio_url) sec.append(M.el("audio", { controls: "", preload: "none", src: p.audio_url }));
    const words = ((a.transcript || {}).words || []);
    const fillerAt = new Set(((an.fillers || {}).items || []).map((f) => f.start_s));
    const text = M.el("p", { class: "transcript" });
    const spans = [];
    if (words.length) {
      for (const w of words) {
        const s = M.el("span", { class: "word" + (fillerAt.has(w.start_s) ? " filler" : ""), text: w.text });
        s.dataset.start = w.start_s; s.dataset.end = w.end_s;
        spans.push(s); text.append(s);
      }
    } else {
      text.textContent = an.transcript || (a.transcript || {}).text || "（回答なし）";
    }
    if (a.audio_url) {
      const audio = M.el("audio", { controls: "", preload: "metadata", src: a.audio_url, class: "answer-audio" });
      audio.addEventListener("timeupdate", () => {
        const now = audio.currentTime;
        for (const s of spans) s.classList.toggle("now", now >= +s.dataset.start && now < +s.dataset.end + 0.05);
      });
      for (const s of spans) s.addEventListener("click", () => { audio.currentTime = +s.dataset.start; audio.play(); });
      sec.append(M.el("p", { class: "muted small", text: "あなたの回答:" }), audio);
    }
    sec.append(text);
    const facts = [];
    if (an.answer_s != null) facts.push(`回答 ${an.answer_s.toFixed(0)}秒`);
    if (an.response_latency_s != null) facts.push(`話し始めまで ${an.response_latency_s.toFixed(1)}秒`);
    if (an.morae_per_min) facts.push(`速さ ${an.morae_per_min} モーラ/分`);
    if (an.fillers) facts.push(`フィラー ${an.fillers.total}回`);
    sec.append(M.el("p", { class: "muted small", text: facts.join("  ・  ") }));
    box.append(sec);
  }
})();
