import type {Config, ConfigChange} from './api/types.js'
import type {Context} from './context.js'
import {configLines, limitLines, timeoutLines} from './output/config-views.js'

const HEALTHCHECK_NOTICE = [
  "Hey there! We've noticed that you're using 'deis config:set HEALTHCHECK_URL' to configure",
  'health checks. This functionality is deprecated and will be removed in a future release;',
  "please use 'deis healthchecks' to set up application health checks.",
].join('\n')

/**
 * The shape every config-backed setter shares: `<action>... done` on stderr, a blank line, then
 * the new state rendered on stdout from the config the controller answered with.
 */
export async function applyConfig(ctx: Context, action: string, appId: string, change: ConfigChange, render: (c: Config) => string[]): Promise<Config> {
  const config = await ctx.out.step(
    action,
    () => ctx.api.config.update(appId, change),
    () => 'done\n',
  )
  for (const line of render(config)) ctx.out.log(line)
  return config
}

/** `limits:set` / `limits:unset`: change the CPU limits (`cpu`) or else the memory limits, then list every limit. */
export function applyLimits(ctx: Context, appId: string, cpu: boolean, limits: Record<string, string | null>): Promise<Config> {
  return applyConfig(ctx, 'Applying limits', appId, cpu ? {cpu: limits} : {memory: limits}, c => limitLines(appId, c))
}

/** Hephy's `timeouts:set` / `timeouts:unset`: change the grace periods (null unsets), then list them. */
export function applyTimeouts(ctx: Context, appId: string, timeouts: Record<string, string | null>): Promise<Config> {
  return applyConfig(ctx, 'Applying timeouts', appId, {termination_grace_period: timeouts}, c => timeoutLines(appId, c))
}

/** `config:set` / `config:push`: the HEALTHCHECK_* deprecation notice, then `Creating config... done` and the list. */
export async function setConfigValues(ctx: Context, appId: string, values: Record<string, string>): Promise<Config> {
  for (const key of Object.keys(values)) if (key.includes('HEALTHCHECK_')) ctx.out.note(HEALTHCHECK_NOTICE)
  const config = await ctx.out.step(
    'Creating config',
    () => ctx.api.config.update(appId, {values}),
    c => (c.values.WORKFLOW_RELEASE ? `done, ${c.values.WORKFLOW_RELEASE}\n` : 'done\n'),
  )
  for (const line of configLines(appId, config)) ctx.out.log(line)
  return config
}
