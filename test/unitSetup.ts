// Unit tests exercise failure paths on purpose; their devnet log lines are noise unless asked for.
process.env.DEVNET_LOG_LEVEL ??= 'silent';
