// The use cases the units-of-work contract crashes: each names its run and what an uninterrupted run leaves.
import fs from 'node:fs';
import { type makeWorld, type World } from './use-case-world.js';

export interface UseCase {
  name: string;
  world?: Parameters<typeof makeWorld>[1];
  /** Runs before the crash is armed (writes of the set-up do not count); what it returns is handed to `act`. */
  prepare?: (w: World) => Promise<unknown>;
  /** The request; called again as its retry (same key, same arguments). */
  act: (w: World, key: string, prepared: any) => Promise<unknown>;
}

export const useCases: UseCase[] = [
  {
    name: "the narrator's approval: decision + receipt, audit, in_review → approved, digital consent",
    act: (w, key) =>
      w.review.decide(w.narrator, { decision: 'approve', visibility: 'public', message: 'Alles gut so.' }, key),
  },
  {
    name: "the narrator's request for changes: decision, audit, in_review → changes_requested",
    world: { status: 'in_review' },
    act: (w, key) => w.review.decide(w.narrator, { decision: 'request_changes', message: 'Bitte Namen prüfen.' }, key),
  },
  {
    name: "the narrator's withdrawal: decision, audit, withdrawn, renditions removed, search job, purge scheduled",
    world: {
      status: 'published',
      visibility: 'public',
      withRenditions: true,
      consent: { onWithdrawal: 'delete_original' },
    },
    act: (w, key) => w.review.decide(w.narrator, { decision: 'withdraw', message: null }, key),
  },
  {
    name: 'accepting a correction: transcript version, search job, audit, correction decided',
    prepare: async (w) =>
      void (await w.review.narratorAddCorrection(w.narrator, {
        mediaId: w.medium.id,
        segmentNo: 1,
        proposed: 'Nach der Wende 1990 kam die Sanierung.',
        note: null,
      })),
    act: async (w) => {
      const [c] = await w.raw.review.listCorrections(w.interview.id);
      return w.review.decideCorrection(w.curator, w.interview.id, c!.id, true, 'danke');
    },
  },
  {
    name: 'a restriction by the narrator: restriction, audit, renditions re-made',
    act: (w, key) =>
      w.review.narratorAddRestriction(
        w.narrator,
        { mediaId: w.medium.id, start: 5, end: 10, reason: 'Kollegen', quote: null },
        key,
      ),
  },
  {
    name: 'lifting a restriction: lifted, audit, renditions re-made',
    prepare: (w) =>
      w.review.addRestrictionAsStaff(
        w.curator,
        w.interview.id,
        { mediaId: w.medium.id, start: 5, end: 10, reason: null, quote: null },
        'prep',
      ),
    act: (w, _key, r) => w.review.liftRestriction(w.curator, w.interview.id, r.id, 'Zeitzeuge einverstanden'),
  },
  {
    name: 'a review invitation: invitation, audit (the same letter again on retry)',
    act: (w, key) =>
      w.review.createInvitation(
        w.curator,
        w.interview.id,
        { narrator: 'Horst Krüger', expiresInDays: 14 },
        'http://archiv.example',
        key,
      ),
  },
  {
    name: 'a consent version that no longer covers a published interview: version, audit, back to review',
    world: { status: 'published', visibility: 'public' },
    prepare: async (w) => (await w.raw.consents.currentForInterview(w.interview.id))[0],
    act: (w, _key, c) =>
      w.consents.save(
        w.curator,
        w.interview.id,
        c.id,
        {
          narrator: 'Horst Krüger',
          scope: ['archive'],
          givenOn: '2019-05-17',
          method: 'signed_form',
          embargoUntil: null,
          onWithdrawal: 'keep_archive',
          notes: 'eingeschränkt',
          keepScan: false,
        },
        undefined,
        c.version,
      ),
  },
  {
    name: "a curator's withdrawal by PATCH: status, audit, renditions removed, search job",
    world: { status: 'published', visibility: 'public', withRenditions: true },
    act: (w, key) =>
      w.interviews.update(
        w.curator,
        w.interview.id,
        { status: 'withdrawn', reason: 'Zeitzeuge hat angerufen' },
        w.interview.version,
        key,
      ),
  },
  {
    name: 'a transcript import with index points: version, search job, audit, index',
    act: (w) =>
      w.transcripts.import({
        viewer: w.curator,
        interviewId: w.interview.id,
        mediaId: w.medium.id,
        expectedVersion: 1,
        filename: 'band1.xml',
        text: fs.readFileSync(new URL('../fixtures/transcripts/ohms-vtt.xml', import.meta.url), 'utf8'),
      }),
  },
  {
    name: 'an embargo ends: published, audit, search job',
    world: { status: 'approved', visibility: 'public' },
    act: async (w) => {
      // run again (the job retried after a crash), it completes what was begun, or finds it published: 'skipped'
      const outcome = await w.publication.publishWhenDue(w.interview.id);
      if (outcome !== 'published' && outcome !== 'skipped') throw new Error(`publishWhenDue: ${outcome}`);
    },
  },
];
