/**
 * Side effect: the fabric-protos index of this process loads its namespaces on first use
 * ({@link installLazyProtos}). Imported first by the orderer's entry, before anything requires the package.
 */
import { installLazyProtos } from './lazyprotos';

installLazyProtos();
