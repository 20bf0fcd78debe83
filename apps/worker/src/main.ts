import 'reflect-metadata';
import { runProcess } from '@tongban/runtime';
import { bootstrapWorker } from './worker.bootstrap';

/** Production entry: one worker process (run several; they share the district queues). */
runProcess(bootstrapWorker);
