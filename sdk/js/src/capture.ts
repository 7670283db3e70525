import { PcmFramer, StreamResampler, floatToPcm16, samplesPerFrame } from "./pcm";

// Microphone capture: an AudioWorklet collects the microphone's samples in ~20 ms blocks at the context's
// rate; the main thread resamples them to the call's rate and cuts exact 20 ms PCM16 frames.

const PROCESSOR_NAME = "vox-capture";

// Inline worklet source, loaded from a Blob URL so the SDK works with any bundler (no separate asset file).
// It posts a block every ~20 ms, silence included, so the caller's audio clock never stops.
export const CAPTURE_WORKLET_SOURCE = `
class VoxCaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.size = Math.max(128, Math.round(sampleRate * 0.02));
    this.block = new Float32Array(this.size);
    this.filled = 0;
  }
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    const n = channel ? channel.length : 128;
    for (let i = 0; i < n; i++) {
      this.block[this.filled++] = channel ? channel[i] : 0;
      if (this.filled === this.size) {
        this.port.postMessage(this.block, [this.block.buffer]);
        this.block = new Float32Array(this.size);
        this.filled = 0;
      }
    }
    return true;
  }
}
registerProcessor(${JSON.stringify(PROCESSOR_NAME)}, VoxCaptureProcessor);
`;

/** Turns blocks of float samples at the context's rate into 20 ms PCM16 frames at the call's rate. */
export class CaptureFramer {
  private readonly resampler: StreamResampler;
  private readonly framer: PcmFramer;

  constructor(contextRate: number, callRate: number) {
    this.resampler = new StreamResampler(contextRate, callRate);
    this.framer = new PcmFramer(samplesPerFrame(callRate));
  }

  push(block: Float32Array): Int16Array[] {
    return this.framer.push(floatToPcm16(this.resampler.process(block)));
  }
}

/** The running capture graph: microphone -> worklet (-> a silent gain, so the graph is pulled). */
export class MicrophoneCapture {
  private constructor(
    private readonly source: MediaStreamAudioSourceNode,
    private readonly node: AudioWorkletNode,
    private readonly sink: GainNode,
  ) {}

  static async start(
    context: AudioContext,
    stream: MediaStream,
    callRate: number,
    onFrame: (frame: Int16Array) => void,
  ): Promise<MicrophoneCapture> {
    const url = URL.createObjectURL(new Blob([CAPTURE_WORKLET_SOURCE], { type: "application/javascript" }));
    try {
      await context.audioWorklet.addModule(url);
    } finally {
      URL.revokeObjectURL(url);
    }
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, PROCESSOR_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      channelCount: 1,
      channelCountMode: "explicit",
      channelInterpretation: "speakers",
    });
    const framer = new CaptureFramer(context.sampleRate, callRate);
    node.port.onmessage = (message: MessageEvent<Float32Array>) => {
      for (const frame of framer.push(message.data)) onFrame(frame);
    };
    const sink = context.createGain();
    sink.gain.value = 0;
    source.connect(node);
    node.connect(sink);
    sink.connect(context.destination);
    return new MicrophoneCapture(source, node, sink);
  }

  stop(): void {
    this.node.port.onmessage = null;
    this.source.disconnect();
    this.node.disconnect();
    this.sink.disconnect();
  }
}
