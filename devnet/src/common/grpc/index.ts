/** devnet's gRPC plumbing: Fabric's internal/pkg/comm (TLS credentials, channel options). */
export * from './clientcalls';
export * from './credentials';
export * from './framing';
export * from './leancall';
export * from './leanchannel';
export * from './leanstreams';
export * from './nodecertificates';
export * from './options';
export * from './shutdown';
export * from './resetfilter';
export * from './server';
export * from './status';
