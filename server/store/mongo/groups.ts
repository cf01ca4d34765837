// Groups of users (access grants name groups) and their members.
import type { GroupRepository } from '../repositories.js';
import type { Group } from '../types.js';
import { asciiLower, isDuplicateKeyError, type Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

export class MongoGroupRepository implements GroupRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models;
  }

  async create(g: Group): Promise<Group> {
    await this.m.groups.collection.insertOne({
      _id: g.id as never,
      name: g.name,
      nameKey: asciiLower(g.name),
      createdAt: g.createdAt,
    });
    return g;
  }

  async findById(id: string): Promise<Group | null> {
    const d = await this.m.groups.findById(id).lean<Doc>();
    return d ? { id: d._id, name: d.name, createdAt: d.createdAt } : null;
  }

  async list(): Promise<Group[]> {
    return (await this.m.groups.find({}).sort({ nameKey: 1, _id: 1 }).lean<Doc[]>()).map((d) => ({
      id: d._id,
      name: d.name,
      createdAt: d.createdAt,
    }));
  }

  async delete(id: string): Promise<boolean> {
    const deleted = (await this.m.groups.collection.deleteOne({ _id: id as never })).deletedCount === 1;
    if (deleted) await this.m.groupMembers.collection.deleteMany({ groupId: id });
    return deleted;
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    try {
      await this.m.groupMembers.collection.insertOne({ _id: `${groupId}:${userId}` as never, groupId, userId });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // already a member
    }
  }

  async removeMember(groupId: string, userId: string): Promise<boolean> {
    return (
      (await this.m.groupMembers.collection.deleteOne({ _id: `${groupId}:${userId}` as never })).deletedCount === 1
    );
  }

  async members(groupId: string): Promise<string[]> {
    return (await this.m.groupMembers.find({ groupId }).sort({ userId: 1 }).lean<Doc[]>()).map(
      (d) => d.userId as string,
    );
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return (await this.m.groupMembers.find({ userId }).sort({ groupId: 1 }).lean<Doc[]>()).map(
      (d) => d.groupId as string,
    );
  }
}
