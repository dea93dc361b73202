// The microphone at 16 kHz in 20 ms blocks (320 samples), posted to the page, which sends them to the server.
"use strict";
class MicCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ratio = sampleRate / 16000;  // 1 when the AudioContext runs at 16 kHz (Chromium resamples the device)
    this.pos = 0; this.acc = 0; this.n = 0;
    this.block = new Float32Array(320); this.fill = 0;
  }
  push(x) {
    this.block[this.fill++] = x;
    if (this.fill === this.block.length) {
      const out = this.block.slice(0);
      this.port.postMessage(out.buffer, [out.buffer]);
      this.fill = 0;
    }
  }
  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    if (this.ratio === 1) {
      for (let i = 0; i < input.length; i++) this.push(input[i]);
    } else {
      for (let i = 0; i < input.length; i++) {
        this.acc += input[i]; this.n++; this.pos += 1;
        if (this.pos >= this.ratio) { this.push(this.acc / this.n); this.acc = 0; this.n = 0; this.pos -= this.ratio; }
      }
    }
    return true;
  }
}
registerProcessor("mic-capture", MicCapture);
