import { closeHeightConnections } from './support/calls';

// Integration tests wait for real blocks to be cut, validated and committed on every peer.
jest.setTimeout(120_000);

afterAll(closeHeightConnections);
