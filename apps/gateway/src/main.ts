import 'reflect-metadata';
import { runProcess } from '@tongban/runtime';
import { bootstrapGateway } from './gateway.bootstrap';

/** Production entry: one gateway process (run several behind a TLS-passthrough load balancer). */
runProcess(bootstrapGateway);
