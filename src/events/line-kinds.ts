/** The kinds of an order line (DESIGN §3), in a module of their own: file readers use them without loading zod. */
export const LINE_KINDS = ['product', 'fee', 'adjustment'] as const;
export type LineKind = (typeof LINE_KINDS)[number];
