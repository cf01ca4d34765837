// Interviews grouped by the place they were recorded at: the list and the map of the places page share it.
import { placeSlug } from '../components/placeSlug.js';
import type { InterviewSummary } from '../types.js';

export interface PlaceGroup {
  name: string;
  slug: string;
  lat: number | null;
  lon: number | null;
  interviews: InterviewSummary[];
}

/** Interviews grouped by place name (A–Z); the first coordinates given for a place count. */
export function groupByPlace(items: InterviewSummary[]): PlaceGroup[] {
  const groups = new Map<string, PlaceGroup>();
  for (const item of items) {
    const place = item.place;
    if (!place?.name) continue;
    let group = groups.get(place.name);
    if (!group) {
      group = { name: place.name, slug: placeSlug(place.name), lat: null, lon: null, interviews: [] };
      groups.set(place.name, group);
    }
    if (group.lat === null && typeof place.lat === 'number' && typeof place.lon === 'number') {
      group.lat = place.lat;
      group.lon = place.lon;
    }
    group.interviews.push(item);
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name, 'de'));
}
