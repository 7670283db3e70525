// The caller's words for the test call: spoken by Debian's flite, padded with
// silence so that the agent's greeting has played before the caller speaks.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

function parseWav(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  let format = null;
  while (offset + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(offset, offset + 4));
    const size = view.getUint32(offset + 4, true);
    if (id === "fmt ") {
      format = { channels: view.getUint16(offset + 10, true), rate: view.getUint32(offset + 12, true), bits: view.getUint16(offset + 22, true) };
    } else if (id === "data") {
      if (!format || format.bits !== 16 || format.channels !== 1) throw new Error("expected 16-bit mono WAV from flite");
      return { rate: format.rate, samples: new Int16Array(bytes.slice(offset + 8, offset + 8 + size).buffer) };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error("no data chunk in WAV");
}

function wavBytes(samples, rate) {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples.length * 2, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(samples.length * 2, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}

/** Writes `path`: `leadSeconds` of silence, `text` spoken by flite, `tailSeconds` of silence. */
export function writeCallerSpeech(path, text, { leadSeconds, tailSeconds, voice = "slt" }) {
  const spokenPath = `${path}.spoken.wav`;
  execFileSync("flite", ["-voice", voice, "-t", text, "-o", spokenPath]);
  const spoken = parseWav(readFileSync(spokenPath));
  const lead = Math.round(leadSeconds * spoken.rate);
  const tail = Math.round(tailSeconds * spoken.rate);
  const samples = new Int16Array(lead + spoken.samples.length + tail);
  samples.set(spoken.samples, lead);
  writeFileSync(path, wavBytes(samples, spoken.rate));
  return { rate: spoken.rate, speechStartsAt: leadSeconds, speechSeconds: spoken.samples.length / spoken.rate };
}
