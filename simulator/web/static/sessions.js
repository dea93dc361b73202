"use strict";
(async function () {
  const list = document.getElementById("list");
  try {
    const data = await M.json("/api/sessions");
    list.textContent = "";
    if (!data.sessions.length) { list.textContent = "まだセッションはありません。"; return; }
    const table = M.el("table", {}, M.el("tr", {}, ...["日時", "質問セット", "種類", "回答", "状態", ""].map((t) => M.el("th", { text: t }))));
    for (const s of data.sessions) {
      const kind = s.demo ? "デモ" : s.mode === "live" ? "ライブ" : "録音";
      table.append(M.el("tr", {}, M.el("td", { text: s.started_at }), M.el("td", { text: s.set_title }), M.el("td", { text: kind }),
        M.el("td", { text: `${s.turns}` }), M.el("td", { text: s.status }),
        M.el("td", {}, M.el("a", { href: `/sessions/${encodeURIComponent(s.id)}/report`, text: "レポート" }), " ・ ",
          M.el("a", { href: `/sessions/${encodeURIComponent(s.id)}/replay`, text: "再生" }))));
    }
    list.append(table);
  } catch (e) {
    list.textContent = `読み込めませんでした: ${e.message}`;
  }
})();
