// Debian's Chromium driven by playwright-core (no browser download), headless, with
// a fake microphone that plays a WAV file. The flags that turn off background
// networking keep Chromium from calling Google's hosts, which this network refuses.
import { chromium } from "playwright-core";

export async function launchChromium({ microphoneWav } = {}) {
  const args = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
  ];
  // %noloop: the recording plays once, then the microphone gives silence.
  if (microphoneWav) args.push(`--use-file-for-fake-audio-capture=${microphoneWav}%noloop`);
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args });
}
