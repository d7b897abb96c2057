import { type StoredTlp, TLP_LABELS, UNKNOWN_MARKING_MEANING } from '../api/intel.ts';

/**
 * A TLP 2.0 label in the official colours (FIRST TLP 2.0: coloured text on black, which keeps
 * every label above WCAG AAA contrast): CLEAR white, GREEN #33FF00, AMBER and AMBER+STRICT
 * #FFC000, RED #FF2B2B. An unknown marking is shown plainly, with what it means as its title (the
 * object page says it in full).
 */
export function TlpBadge({ tlp }: { readonly tlp: StoredTlp }) {
  const cls = tlp === 'amber+strict' ? 'amber-strict' : tlp;
  return (
    <span
      className={`tlp tlp-${cls}`}
      data-testid="tlp-badge"
      title={tlp === 'unknown' ? UNKNOWN_MARKING_MEANING : undefined}
    >
      {TLP_LABELS[tlp]}
    </span>
  );
}
