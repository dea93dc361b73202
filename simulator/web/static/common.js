// mensetsu web: small helpers shared by the pages (no libraries, nothing fetched from outside).
"use strict";
const M = {
  async json(url) {
    const r = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (!r.ok) throw new Error((await r.text()).trim() || `HTTP ${r.status}`);
    return r.json();
  },
  el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c);
    return e;
  },
  mmss(s) { s = Math.max(0, Math.floor(s)); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`; },
  // -60 dBFS (silence) .. -10 dBFS (loud) as 0..100 %, as the terminal's level bar
  meterPercent(db) { return Math.round(Math.max(0, Math.min(1, (db + 60) / 50)) * 100); },
  dbfs(samples) {
    let s = 0;
    for (let i = 0; i < samples.length; i++) s += samples[i] * samples[i];
    const rms = Math.sqrt(s / Math.max(1, samples.length));
    return rms > 0 ? 20 * Math.log10(rms) : -100;
  },
  // The microphone as the interview hears it: echo cancellation, noise suppression, automatic gain.
  micConstraints: { audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 } },
  // 16 kHz float32 blocks from the microphone (AudioWorklet; ScriptProcessor where there is none).
  async openMic(onBlock) {
    const stream = await navigator.mediaDevices.getUserMedia(M.micConstraints);
    let ctx;
    try { ctx = new AudioContext({ sampleRate: 16000 }); } catch (e) { ctx = new AudioContext(); }
    await ctx.resume();
    const source = ctx.createMediaStreamSource(stream);
    let node;
    if (ctx.audioWorklet) {
      await ctx.audioWorklet.addModule("/static/mic-worklet.js");
      node = new AudioWorkletNode(ctx, "mic-capture", { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
      node.port.onmessage = (ev) => onBlock(new Float32Array(ev.data));
    } else {
      node = ctx.createScriptProcessor(4096, 1, 1);
      const down = M.downsampler(ctx.sampleRate);
      node.onaudioprocess = (ev) => { const out = down(ev.inputBuffer.getChannelData(0)); if (out.length) onBlock(out); };
    }
    source.connect(node);
    const mute = ctx.createGain(); mute.gain.value = 0;  // the graph must reach the output to run; silent
    node.connect(mute); mute.connect(ctx.destination);
    const track = stream.getAudioTracks()[0];
    return { label: track ? track.label : "", close() { stream.getTracks().forEach((t) => t.stop()); ctx.close(); } };
  },
  // Any rate -> 16 kHz by averaging the input samples between output instants (a box filter).
  downsampler(rate) {
    const ratio = rate / 16000;
    let pos = 0, acc = 0, n = 0;
    return (input) => {
      if (ratio === 1) return new Float32Array(input);
      const out = [];
      for (let i = 0; i < input.length; i++) {
        acc += input[i]; n++; pos += 1;
        if (pos >= ratio) { out.push(acc / n); acc = 0; n = 0; pos -= ratio; }
      }
      return Float32Array.from(out);
    };
  },
};
