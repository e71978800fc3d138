/** Signed values per name as horizontal bars around a zero line (attributions, importances), largest magnitude first when `sort`. */
export function ColumnBars(props: { items: { name: string; value: number; spread?: number }[]; sort?: boolean; testId: string; label: string; digits?: number }) {
  const items = props.sort ? [...props.items].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)) : props.items
  const peak = Math.max(1e-12, ...items.map((i) => Math.abs(i.value) + (i.spread ?? 0)))
  const digits = props.digits ?? 3
  return (
    <table className="column-bars" data-testid={props.testId} aria-label={props.label}>
      <tbody>
        {items.map((i) => {
          const w = (Math.abs(i.value) / peak) * 50
          const s = ((i.spread ?? 0) / peak) * 50
          return (
            <tr key={i.name} data-testid="column-bar">
              <th scope="row">{i.name}</th>
              <td className="bar-cell">
                <span className="bar-zero" />
                <span className={`bar ${i.value < 0 ? 'neg' : 'pos'}`} style={i.value < 0 ? { right: '50%', width: `${w}%` } : { left: '50%', width: `${w}%` }} />
                {i.spread !== undefined && s > 0 && (
                  <span className="bar-spread" style={{ left: `${50 + (i.value / peak) * 50 - s}%`, width: `${2 * s}%` }} title={`± ${i.spread.toPrecision(2)}`} />
                )}
              </td>
              <td className="bar-value">
                {i.value.toFixed(digits)}
                {i.spread !== undefined && <span className="muted"> ± {i.spread.toFixed(digits)}</span>}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
