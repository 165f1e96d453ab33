// Request numbers and row versions stay far below 2^53, so a JS number holds them exactly.
export const bigintAsNumber = {
  from: (v: string | null) => (v === null ? v : Number(v)),
  to: (v: number | undefined) => v,
};
