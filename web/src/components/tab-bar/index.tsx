// Accessible tabs (WAI-ARIA tabs pattern): arrow keys move between tabs, Home/End jump to the ends.
export interface Tab<T extends string> {
  id: T;
  label: string;
  /** A count beside the label (missed calls), with what it counts for screen readers. */
  badge?: { count: number; of: string };
}

export function TabBar<T extends string>(props: {
  tabs: Array<Tab<T>>;
  selected: T;
  label: string;
  onSelect(id: T): void;
}) {
  const move = (event: KeyboardEvent, index: number) => {
    const last = props.tabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : -1;
    if (next < 0) return;
    event.preventDefault();
    props.onSelect(props.tabs[next]!.id);
    document.getElementById(`tab-${props.tabs[next]!.id}`)?.focus();
  };
  return (
    <div class="tab-bar" role="tablist" aria-label={props.label}>
      {props.tabs.map((tab, index) => (
        <button
          key={tab.id}
          id={`tab-${tab.id}`}
          type="button"
          role="tab"
          class="tab"
          aria-selected={tab.id === props.selected}
          aria-controls={`panel-${tab.id}`}
          tabIndex={tab.id === props.selected ? 0 : -1}
          onClick={() => props.onSelect(tab.id)}
          onKeyDown={(event) => move(event, index)}
        >
          {tab.label}
          {tab.badge && tab.badge.count > 0 && (
            <span class="tab-badge" data-testid={`tab-badge-${tab.id}`}>
              {tab.badge.count}
              <span class="visually-hidden"> {tab.badge.of}</span>
            </span>
          )}
        </button>
      ))}
    </div>
  );
}
