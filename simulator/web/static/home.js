"use strict";
(async function () {
  // the choices the server offers (question sets, prepared targets)
  try {
    const opts = await M.json("/api/options");
    const set = document.getElementById("set");
    for (const s of opts.sets) set.append(M.el("option", { value: s.id, text: `${s.title}（${s.id}）` }));
    set.value = opts.sets.some((s) => s.id === "core") ? "core" : (opts.sets[0] || {}).id;
    const target = document.getElementById("target");
    for (const t of opts.targets) target.append(M.el("option", { value: t.name, text: t.company ? `${t.name}（${t.company}）` : t.name }));
    if (!opts.targets.length) document.getElementById("target-row").hidden = true;
    if (opts.busy) document.getElementById("options-error").textContent = "別の面接が進行中です。";
  } catch (e) {
    document.getElementById("options-error").textContent = `選択肢を読み込めませんでした: ${e.message}`;
  }
  document.getElementById("start-form").addEventListener("submit", () => {
    const t = document.getElementById("target");
    if (!t.value) t.disabled = true;  // no empty target= in the address
  });

  // the microphone check: a live level meter from the page's own microphone
  let mic = null, loudest = -100, timer = null;
  document.getElementById("mic-check").addEventListener("click", async () => {
    const status = document.getElementById("mic-status");
    if (mic) { mic.close(); mic = null; }
    loudest = -100;
    try {
      let level = -100;
      mic = await M.openMic((block) => { level = Math.max(M.dbfs(block), level - 1.5); loudest = Math.max(loudest, level); });
      status.textContent = `確認中（${mic.label || "マイク"}）… 話してください。`;
      clearInterval(timer);
      const started = Date.now();
      timer = setInterval(() => {
        document.getElementById("mic-meter").style.width = M.meterPercent(level) + "%";
        document.getElementById("mic-db").textContent = `${level.toFixed(0)} dBFS`;
        if (Date.now() - started > 8000) {
          clearInterval(timer); mic.close(); mic = null;
          document.getElementById("mic-meter").style.width = "0";
          status.textContent = loudest > -45 ? "声が届いています。面接を始められます。"
            : loudest > -75 ? "声が小さめです。マイクに近づくか、入力音量を上げてください。"
            : "音が届いていません。マイクの接続と、ブラウザのマイク許可を確認してください。";
        }
      }, 80);
    } catch (e) {
      status.textContent = `マイクを使えません（${e.name || e.message}）。ブラウザでマイクを許可してください。`;
    }
  });

  // recent sessions
  try {
    const data = await M.json("/api/sessions");
    const list = document.getElementById("recent-list");
    list.textContent = "";
    if (!data.sessions.length) { list.textContent = "まだセッションはありません。"; return; }
    const table = M.el("table", {}, M.el("tr", {}, M.el("th", { text: "日時" }), M.el("th", { text: "質問セット" }), M.el("th", { text: "回答" }), M.el("th", { text: "状態" }), M.el("th", { text: "" })));
    for (const s of data.sessions.slice(0, 5)) {
      table.append(M.el("tr", {}, M.el("td", { text: s.started_at }), M.el("td", { text: s.set_title + (s.demo ? "（デモ）" : "") }),
        M.el("td", { text: `${s.turns}` }), M.el("td", { text: s.status }),
        M.el("td", {}, M.el("a", { href: `/sessions/${encodeURIComponent(s.id)}/report`, text: "レポート" }), " ・ ",
          M.el("a", { href: `/sessions/${encodeURIComponent(s.id)}/replay`, text: "再生" }))));
    }
    list.append(table);
  } catch (e) {
    document.getElementById("recent-list").textContent = `読み込めませんでした: ${e.message}`;
  }
})();
