/** The jobs of DESIGN §6 and the scheduler that runs them for a server or a CLI command. */
import type { App } from '../app.js';
import type { Job } from './job.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import { inboxJob } from './inbox.js';
import { attentionJob } from './attention.js';
import { countrySplitJob } from './country-split.js';
import { weeklyReportJob } from './weekly-report.js';
import { lakeJob } from './lake.js';
import { retentionJob } from './retention.js';
import { queryJob } from './query.js';

export function createJobs(app: App): Job[] {
  return [
    inboxJob(app),
    queryJob(app),
    attentionJob(app),
    countrySplitJob(app),
    lakeJob(app),
    retentionJob(app),
    weeklyReportJob(app),
  ];
}

export function createAppScheduler(app: App, jobs: Job[] = createJobs(app)): Scheduler {
  return createScheduler({
    jobs,
    store: app.store,
    notifier: app.notifier,
    logger: app.logger,
    schedules: app.config.schedules,
    timeZone: app.config.timeZone,
  });
}
