// The Leaflet map of interview places. Its own chunk (with Leaflet and its CSS), loaded by /places only when a
// tile server is configured. Markers are vector circles (no marker images to resolve); the list on the page
// is the keyboard and screen-reader way to the same interviews.
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { PlaceGroup } from '../lib/places.js';

export default function PlacesMap({
  groups,
  tiles,
}: {
  groups: PlaceGroup[];
  tiles: { url: string; attribution: string };
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const host = ref.current;
    if (!host) return;
    let map: L.Map;
    try {
      map = L.map(host, { scrollWheelZoom: false });
    } catch {
      setFailed(true);
      return;
    }
    // Leaflet writes attributions, tooltips and popups as HTML: only text (escaped) or our own DOM nodes go in
    L.tileLayer(tiles.url, { attribution: escapeHtml(tiles.attribution), maxZoom: 18 }).addTo(map);
    const bounds = L.latLngBounds([]);
    for (const g of groups) {
      if (g.lat === null || g.lon === null) continue;
      const at = L.latLng(g.lat, g.lon);
      bounds.extend(at);
      const popup = document.createElement('div');
      const title = document.createElement('strong');
      title.textContent = g.name;
      const list = document.createElement('ul');
      for (const i of g.interviews) {
        const href = `/interviews/${encodeURIComponent(i.id)}`;
        const a = document.createElement('a');
        a.href = href;
        a.textContent = i.title;
        a.addEventListener('click', (e) => {
          e.preventDefault();
          void navigate(href);
        });
        const li = document.createElement('li');
        li.append(a);
        list.append(li);
      }
      popup.append(title, list);
      L.circleMarker(at, { radius: 9, color: '#6a2b0a', weight: 2, fillColor: '#8a3a10', fillOpacity: 0.85 })
        .bindTooltip(textNode(g.name))
        .bindPopup(popup)
        .addTo(map);
    }
    if (bounds.isValid()) {
      if (groups.length === 1) map.setView(bounds.getCenter(), 12);
      else map.fitBounds(bounds, { padding: [32, 32], maxZoom: 13 });
    }
    return () => {
      map.remove();
    };
  }, [groups, tiles, navigate]);

  if (failed) return <p className="problem">{t('places.mapFailed')}</p>;
  return (
    <div ref={ref} className="places-map" data-testid="places-map" role="region" aria-label={t('places.mapLabel')} />
  );
}

/** A place name as a text node wrapper: Leaflet inserts an HTMLElement as is, a string as HTML. */
function textNode(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
