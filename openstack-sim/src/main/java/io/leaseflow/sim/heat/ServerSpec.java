package io.leaseflow.sim.heat;

/**
 * One server a stack asks Nova for, with its properties resolved: {@code index} is the member's index in an
 * {@code OS::Heat::ResourceGroup}, -1 for a plain {@code OS::Nova::Server}; {@code reservation} is the
 * {@code scheduler_hints.reservation} that Blazar's filter needs (empty: Nova would not schedule it on a reserved host);
 * {@code metadataUrl} is {@code metadata.os-collect-config.request.metadata_url}, where an os-collect-config image
 * polls its software deployments (empty: none).
 */
public record ServerSpec(String resource, int index, String name, String userData, String reservation,
                         String metadataUrl) {
}
