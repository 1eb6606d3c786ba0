/** devnet's aclmgmt: Fabric's core/aclmgmt (resource → channel policy from the config's ACLs, CheckACL). */
export * from './aclprovider';
