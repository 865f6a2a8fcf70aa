import { describe, expect, it } from 'vitest';
import { problemCode } from '../../src/operations.js';
import { USER, type World } from '../../src/world.js';

/** createSession has no security, so it is tested on its own rather than in the matrix. */
export function sessionsSuite(world: () => World) {
  describe('createSession (no security)', () => {
    it('exchanges the right email and password for a working personal token', async () => {
      const anonymous = world().client(undefined);
      const { data, response } = await anonymous.POST('/v1/sessions', { body: USER });
      expect(response.status).toBe(201);
      expect(data?.user.email).toBe(USER.email);
      const viewer = await world().client(data?.token).GET('/v1/viewer');
      expect(viewer.response.status).toBe(200);
      expect(viewer.data?.token.kind).toBe('personal');
      expect(viewer.data?.user.email).toBe(USER.email);
    });

    it('ignores any token sent with it', async () => {
      const { response } = await world().as('malformed').POST('/v1/sessions', { body: USER });
      expect(response.status).toBe(201);
    });

    it('refuses a wrong password and an unknown email alike: 401 invalid_credentials', async () => {
      const anonymous = world().client(undefined);
      for (const body of [
        { email: USER.email, password: 'not-the-password' },
        { email: 'nobody@contract.test', password: USER.password },
      ]) {
        const { error, response } = await anonymous.POST('/v1/sessions', { body });
        expect(response.status).toBe(401);
        expect(problemCode(error)).toBe('invalid_credentials');
      }
    });

    it('rejects a body that breaks the schema: 400 validation_failed', async () => {
      const { error, response } = await world()
        .client(undefined)
        .POST('/v1/sessions', { body: { email: 'not an email', password: '' } });
      expect(response.status).toBe(400);
      expect(problemCode(error)).toBe('validation_failed');
    });
  });
}
