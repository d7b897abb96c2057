import type { Command } from 'commander';
import {
  approveRename,
  createOrg,
  createToken,
  type Invitation,
  inviteMember,
  issueReset,
  listOrgs,
  patchMember,
  patchOrg,
  rejectRename,
  resendInvitation,
  revokeInvitation,
} from '../../features/membership/index.ts';
import { action, noteGuessedPublicUrl, printJson, withCliContext } from '../context.ts';
import type { CommandModule } from './index.ts';

interface Common {
  readonly json?: boolean;
  readonly db?: string;
  readonly dataDir?: string;
}

function dbOptions(cmd: Command): Command {
  return cmd
    .option(
      '--db <url>',
      'database URL (sqlite:<file> or postgres://…); default TABELLA_DB or <data-dir>/tabella.db',
    )
    .option('--data-dir <dir>', 'data directory; default TABELLA_DATA_DIR or ./data')
    .option('--json', 'print one JSON object');
}

function printInvitation(o: Common, verb: string, result: Invitation): void {
  if (o.json === true) printJson({ ...result.member, invitationUrl: result.invitationUrl });
  else
    process.stdout.write(
      `${verb} ${result.member.id} ${result.member.email}\ninvitation link (shown once): ${result.invitationUrl}\n`,
    );
}

export const membershipCommands: CommandModule = (program) => {
  const org = program.command('org').description('organizations of the partnership');

  dbOptions(
    org
      .command('create')
      .description('register an organization')
      .requiredOption('--name <name>', 'organization name')
      .requiredOption('--kind <kind>', 'government | private | nonprofit')
      .requiredOption(
        '--role <role>',
        'isac-operator | election-office | cyber-agency | federal-partner | vendor | security-firm | platform | researcher | oversight',
      )
      .option('--jurisdiction <code>', 'ISO 3166-2 code such as US-NC, or a US county such as US-NC-063')
      .option('--vetted', 'create it vetted (otherwise pending)'),
  ).action(
    action(
      async (
        o: Common & { name: string; kind: string; role: string; jurisdiction?: string; vetted?: boolean },
      ) => {
        const created = await withCliContext(o, (ctx) =>
          createOrg(ctx, {
            name: o.name,
            kind: o.kind,
            role: o.role,
            jurisdiction: o.jurisdiction,
            status: o.vetted === true ? 'vetted' : 'pending',
          }),
        );
        if (o.json === true) printJson(created);
        else process.stdout.write(`created ${created.id} ${created.name} (${created.status})\n`);
      },
    ),
  );

  for (const [verb, status] of [
    ['vet', 'vetted'],
    ['suspend', 'suspended'],
  ] as const) {
    dbOptions(org.command(`${verb} <id>`).description(`mark an organization ${status}`)).action(
      action(async (id: string, o: Common) => {
        const updated = await withCliContext(o, (ctx) => patchOrg(ctx, id, { status }));
        if (o.json === true) printJson(updated);
        else process.stdout.write(`${updated.id} ${updated.name} is now ${updated.status}\n`);
      }),
    );
  }

  // The CLI is a local operator: its rename applies at once, like an operator admin's.
  dbOptions(
    org
      .command('rename <id>')
      .description('rename an organization')
      .requiredOption('--name <name>', 'the new name'),
  ).action(
    action(async (id: string, o: Common & { name: string }) => {
      const updated = await withCliContext(o, (ctx) => patchOrg(ctx, id, { name: o.name }));
      if (o.json === true) printJson(updated);
      else process.stdout.write(`${updated.id} is now named ${updated.name}\n`);
    }),
  );

  for (const [verb, decide, done] of [
    ['rename-approve', approveRename, 'renamed'],
    ['rename-reject', rejectRename, 'keeps its name'],
  ] as const) {
    dbOptions(
      org
        .command(`${verb} <id>`)
        .description(`${verb === 'rename-approve' ? 'approve' : 'reject'} an organization's pending rename`),
    ).action(
      action(async (id: string, o: Common) => {
        const updated = await withCliContext(o, (ctx) => decide(ctx, id));
        if (o.json === true) printJson(updated);
        else process.stdout.write(`${updated.id} ${done}: ${updated.name}\n`);
      }),
    );
  }

  dbOptions(
    org
      .command('list')
      .description('list organizations')
      .option('--status <status>', 'pending | vetted | suspended')
      .option('--rename-pending', 'only organizations with a rename waiting for approval'),
  ).action(
    action(async (o: Common & { status?: string; renamePending?: boolean }) => {
      const items = await withCliContext(o, (ctx) =>
        listOrgs(ctx, { status: o.status, renamePending: o.renamePending }),
      );
      if (o.json === true) {
        printJson({ items });
        return;
      }
      for (const x of items) {
        process.stdout.write(
          `${x.id}  ${x.status.padEnd(9)} ${x.role.padEnd(16)} ${(x.jurisdiction ?? '-').padEnd(6)} ${x.name}${x.pendingRename === undefined ? '' : `  (rename to "${x.pendingRename.name}" pending)`}\n`,
        );
      }
    }),
  );

  const member = program.command('member').description('members of organizations');
  dbOptions(
    member
      .command('create')
      .description('invite a member; prints a one-time invitation link')
      .requiredOption('--org <id>', 'organization id')
      .requiredOption('--email <email>', 'e-mail address')
      .requiredOption('--role <roles>', 'admin,analyst,responder,official,auditor (comma-separated)')
      .option('--name <displayName>', 'display name')
      .option('--tier <tier>', 'access tier 1 or 2', '1'),
  ).action(
    action(async (o: Common & { org: string; email: string; role: string; name?: string; tier: string }) => {
      const result = await withCliContext(o, async (ctx) => {
        const invited = await inviteMember(ctx, o.org, {
          email: o.email,
          displayName: o.name,
          roles: o.role
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean),
          tier: o.tier,
        });
        noteGuessedPublicUrl(ctx.config);
        return invited;
      });
      printInvitation(o, 'created', result);
    }),
  );

  dbOptions(
    member
      .command('invite-resend <member>')
      .description(
        'issue a new invitation link for an invitee who has not joined (id or e-mail); earlier links stop working',
      ),
  ).action(
    action(async (ref: string, o: Common) => {
      const result = await withCliContext(o, async (ctx) => {
        const resent = await resendInvitation(ctx, ref);
        noteGuessedPublicUrl(ctx.config);
        return resent;
      });
      printInvitation(o, 'invitation re-sent to', result);
    }),
  );

  dbOptions(
    member
      .command('invite-revoke <member>')
      .description(
        'revoke the invitation of an invitee who has not joined (id or e-mail): the link stops working and the invitee is removed',
      ),
  ).action(
    action(async (ref: string, o: Common) => {
      const result = await withCliContext(o, (ctx) => revokeInvitation(ctx, ref));
      if (o.json === true) printJson(result);
      else
        process.stdout.write(
          result.removed
            ? `revoked the invitation of ${result.memberId}; the invitee is removed and the address free\n`
            : `revoked the invitation of ${result.memberId}; the member stays, in use through API tokens\n`,
        );
    }),
  );

  // The web app's Suspend and Reactivate: an invitee who never joined, reactivated, stays invited
  // (their invitation can then be re-sent); a suspended member's sessions end at once.
  for (const [verb, status] of [
    ['suspend', 'suspended'],
    ['reactivate', 'active'],
  ] as const) {
    dbOptions(
      member
        .command(`${verb} <id>`)
        .description(
          verb === 'suspend'
            ? 'suspend a member (their sessions end at once)'
            : 'reactivate a suspended member (one who never joined is invited again)',
        ),
    ).action(
      action(async (id: string, o: Common) => {
        const updated = await withCliContext(o, (ctx) => patchMember(ctx, id, { status }));
        if (o.json === true) printJson(updated);
        else process.stdout.write(`${updated.id} ${updated.email} is now ${updated.status}\n`);
      }),
    );
  }

  dbOptions(
    member
      .command('reset')
      .description(
        "issue a one-time link (24 h) to reset a member's password and/or MFA; signs them out everywhere",
      )
      .requiredOption('--member <id>', 'member id')
      .option('--password', 'the member sets a new password')
      .option('--mfa', 'the member enrolls MFA again')
      .option('--revoke-tokens', "also revoke the member's API tokens"),
  ).action(
    action(
      async (o: Common & { member: string; password?: boolean; mfa?: boolean; revokeTokens?: boolean }) => {
        const reset = await withCliContext(o, async (ctx) => {
          const issued = await issueReset(ctx, o.member, {
            password: o.password,
            mfa: o.mfa,
            revokeTokens: o.revokeTokens,
          });
          noteGuessedPublicUrl(ctx.config);
          return issued;
        });
        if (o.json === true) printJson(reset);
        else
          process.stdout.write(
            `reset ${[reset.password ? 'password' : '', reset.mfa ? 'MFA' : ''].filter(Boolean).join(' and ')} of ${reset.memberId}; ${reset.sessionsEnded} session(s) ended, ${reset.tokensRevoked} token(s) revoked\nreset link (shown once, valid until ${reset.expiresAt}): ${reset.resetUrl}\n`,
          );
      },
    ),
  );

  const token = program.command('token').description('API tokens for machines');
  dbOptions(
    token
      .command('create')
      .description('create an API token for a member; prints it once')
      .requiredOption('--member <idOrEmail>', 'member id or e-mail')
      .option('--name <name>', 'what the token is for', 'API token')
      .option(
        '--scopes <scopes>',
        'comma-separated: read, share, feeds (exports and TAXII pulls only), admin',
        'read,share,feeds,admin',
      )
      .option('--expires <time>', 'RFC 3339 date-time after which the token stops working (default: never)'),
  ).action(
    action(async (o: Common & { member: string; name: string; scopes: string; expires?: string }) => {
      const created = await withCliContext(o, (ctx) =>
        createToken(ctx, {
          member: o.member,
          name: o.name,
          scopes: o.scopes
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
          expiresAt: o.expires,
        }),
      );
      if (o.json === true) printJson(created);
      else
        process.stdout.write(
          `created ${created.id} for ${created.memberId} (${created.scopes.join(', ')}; ${created.expiresAt === null ? 'never expires' : `expires ${created.expiresAt}`})\ntoken (shown once): ${created.token}\n`,
        );
    }),
  );
};
