/** A captured connection's client in words: "node (pid 4242) at 127.0.0.1:51234", or just its address when the OS did not tell. */
export function clientText(from: { clientAddress: string; clientProcess?: { pid: number; name: string } | undefined }): string {
  const process = from.clientProcess;
  return process ? `${process.name} (pid ${process.pid}) at ${from.clientAddress}` : from.clientAddress;
}
