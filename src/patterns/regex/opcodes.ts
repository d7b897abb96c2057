/** Instructions of a compiled MATCHES program (Thompson NFA, see compile.ts and vm.ts). */
export const OP_CLASS = 0;
export const OP_SPLIT = 1;
export const OP_JMP = 2;
export const OP_ASSERT = 3;
export const OP_MATCH = 4;
