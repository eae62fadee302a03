/** A workflow document named on the command line: a file, or standard input for `-`. */
export async function readSource(path: string): Promise<string> {
  return path === '-' ? await Bun.stdin.text() : await Bun.file(path).text();
}
