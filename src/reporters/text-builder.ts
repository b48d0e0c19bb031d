// Large reports are built from hundreds of thousands of short strings. Held
// until the end, every one of them survives each young-generation collection
// and is copied again, then promoted: for a report of 1,000 workloads that
// copying cost more than the rendering. A TextBuilder joins its pieces every
// 32 Ki characters, so the pieces die young and only the blocks live. Blocks
// stay below V8's large-object size (128 KiB; 64 KiB here even in two-byte
// strings): each large object gets pages of its own, and touching fresh pages
// is what a large report mostly pays for on a virtual machine.

/** Pieces are joined into a block once they hold about this many characters. */
const BLOCK_CHARS = 32 * 1024;

export class TextBuilder {
  readonly #separator: string;
  #pieces: string[] = [];
  #chars = 0;
  readonly #blocks: string[] = [];

  /** `separator` goes between pieces, as in `pieces.join(separator)`. */
  constructor(separator = '') {
    this.#separator = separator;
  }

  add(piece: string): void {
    this.#pieces.push(piece);
    this.#chars += piece.length;
    if (this.#chars >= BLOCK_CHARS) this.#flush();
  }

  addAll(pieces: readonly string[]): void {
    for (const piece of pieces) this.add(piece);
  }

  /** Every piece so far, joined with the separator (one flat string). */
  toString(): string {
    this.#flush();
    return this.#blocks.join(this.#separator);
  }

  #flush(): void {
    if (this.#pieces.length === 0) return;
    this.#blocks.push(this.#pieces.join(this.#separator));
    this.#pieces = [];
    this.#chars = 0;
  }
}
