/** Node OU names cryptogen puts in certificate subjects (`msp.CLIENTOU` ...). */
export const NodeOU = {
  client: 'client',
  peer: 'peer',
  admin: 'admin',
  orderer: 'orderer',
} as const;

/** One of the node OUs. */
export type NodeOUName = (typeof NodeOU)[keyof typeof NodeOU];

/**
 * The MSP `config.yaml` that enables NodeOUs, in the shape cryptogen writes (`exportConfig`): every
 * OU identifier points at the signing CA certificate, relative to the MSP folder.
 */
export function nodeOUsConfigYaml(caCertRelativePath: string): string {
  const identifier = (ou: string): string =>
    `    Certificate: ${caCertRelativePath}\n    OrganizationalUnitIdentifier: ${ou}\n`;
  return (
    'NodeOUs:\n' +
    '  Enable: true\n' +
    `  ClientOUIdentifier:\n${identifier(NodeOU.client)}` +
    `  PeerOUIdentifier:\n${identifier(NodeOU.peer)}` +
    `  AdminOUIdentifier:\n${identifier(NodeOU.admin)}` +
    `  OrdererOUIdentifier:\n${identifier(NodeOU.orderer)}`
  );
}
