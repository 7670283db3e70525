// The Vox web-call client (to be filled in): start a call, stream the microphone, play the agent.
export {};
