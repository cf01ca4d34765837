// Groups of users (access grants name groups) and their members.
import type { Database } from 'better-sqlite3';
import type { GroupRepository } from '../repositories.js';
import type { Group } from '../types.js';

export class SqliteGroupRepository implements GroupRepository {
  constructor(private readonly db: Database) {}

  async create(g: Group): Promise<Group> {
    this.db.prepare('INSERT INTO groups (id, name, created_at) VALUES (?, ?, ?)').run(g.id, g.name, g.createdAt);
    return g;
  }

  async findById(id: string): Promise<Group | null> {
    const r = this.db.prepare('SELECT id, name, created_at AS createdAt FROM groups WHERE id = ?').get(id) as
      Group | undefined;
    return r ?? null;
  }

  async list(): Promise<Group[]> {
    return this.db
      .prepare('SELECT id, name, created_at AS createdAt FROM groups ORDER BY name COLLATE NOCASE')
      .all() as Group[];
  }

  async delete(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM groups WHERE id = ?').run(id).changes === 1;
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    this.db.prepare('INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?, ?)').run(groupId, userId);
  }

  async removeMember(groupId: string, userId: string): Promise<boolean> {
    return (
      this.db.prepare('DELETE FROM group_members WHERE group_id = ? AND user_id = ?').run(groupId, userId).changes === 1
    );
  }

  async members(groupId: string): Promise<string[]> {
    return this.db
      .prepare('SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id')
      .pluck()
      .all(groupId) as string[];
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return this.db
      .prepare('SELECT group_id FROM group_members WHERE user_id = ? ORDER BY group_id')
      .pluck()
      .all(userId) as string[];
  }
}
