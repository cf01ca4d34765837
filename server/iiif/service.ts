// Gathers what one viewer may see of an interview (or a collection) for its IIIF documents, through the same
// access rule and presenters as the interview page: media URLs come from MediaService.presentFor (signed for
// viewers of non-public interviews, renditions only where restricted passages are silenced), captions and index
// points from TranscriptService (restricted passages blanked).
import { interviewAccess, isPubliclyVisible, interviewListScope } from '../access/policy.js';
import type { Viewer } from '../access/viewer.js';
import { Problem } from '../http/problem.js';
import type { MediaService } from '../media/service.js';
import type { Store } from '../store/repositories.js';
import type { Interview } from '../store/types.js';
import type { TranscriptService } from '../transcripts/service.js';
import { buildCollection, buildManifest, isPaintable, type CanvasSource, type CollectionEntry } from './manifest.js';

export interface IiifDocument {
  doc: Record<string, unknown>;
  /** Anonymous visitors get the same document: it may be read cross-origin and cached publicly. */
  isPublic: boolean;
}

export class IiifService {
  constructor(
    private readonly store: Store,
    private readonly media: MediaService,
    private readonly transcripts: TranscriptService,
  ) {}

  private async visibleInterview(viewer: Viewer, id: string): Promise<Interview> {
    const interview = await this.store.interviews.findById(id);
    // sealed (listed embargo) has no content to show: like invisible, 404
    if (!interview || interviewAccess(viewer, interview) !== 'full') throw new Problem('not-found');
    return interview;
  }

  async manifest(viewer: Viewer, id: string, base: string): Promise<IiifDocument> {
    const interview = await this.visibleInterview(viewer, id);
    const [collection, consents, media] = await Promise.all([
      interview.collectionId ? this.store.collections.findById(interview.collectionId) : Promise.resolve(null),
      this.store.consents.currentForInterview(interview.id),
      this.media.listForInterview(viewer, interview),
    ]);
    const canvases: CanvasSource[] = [];
    for (const medium of media.filter(isPaintable).sort((a, b) => a.part - b.part)) {
      const head = await this.store.transcripts.head(medium.id);
      const index = await this.transcripts.getIndex(viewer, interview.id, medium.id);
      canvases.push({
        medium,
        hasTranscript: head !== null,
        captionLanguages: head ? [interview.language] : [],
        index: index.points,
      });
    }
    return {
      doc: buildManifest({ base, interview, collection, consents, canvases }),
      isPublic: viewer.kind === 'anonymous' && isPubliclyVisible(interview),
    };
  }

  async collection(viewer: Viewer, id: string, base: string): Promise<IiifDocument> {
    const collection = await this.store.collections.findById(id);
    if (!collection) throw new Problem('not-found');
    const entries: CollectionEntry[] = [];
    const pageSize = 200;
    for (let offset = 0; ; offset += pageSize) {
      const page = await this.store.interviews.list(
        { access: interviewListScope(viewer), collectionId: id },
        { limit: pageSize, offset },
        'recordedAt',
      );
      for (const interview of page.items) {
        if (interviewAccess(viewer, interview) !== 'full') continue; // sealed entries have no manifest
        const media = await this.media.listForInterview(viewer, interview);
        entries.push({ interview, thumbnail: media.find((m) => m.poster)?.poster ?? null });
      }
      if (offset + pageSize >= page.total || page.items.length === 0) break;
    }
    return { doc: buildCollection({ base, collection, entries }), isPublic: viewer.kind === 'anonymous' };
  }

  /** The WebVTT a manifest's `supplementing` annotation points to: the caption export, restricted passages blanked. */
  async captions(
    viewer: Viewer,
    id: string,
    mediaId: string,
    lang: string,
  ): Promise<{ vtt: string; isPublic: boolean }> {
    const interview = await this.visibleInterview(viewer, id);
    if (lang !== interview.language) throw new Problem('not-found');
    const vtt = await this.transcripts.export(viewer, id, mediaId, 'vtt');
    return { vtt, isPublic: viewer.kind === 'anonymous' && isPubliclyVisible(interview) };
  }
}
