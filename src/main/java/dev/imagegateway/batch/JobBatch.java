package dev.imagegateway.batch;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code batches/progress/{job-id}/batch.json} holds: the batch that runs a job, chosen before it
 * exists. See {@link BatchSweep} for why the ids come first.
 *
 * @param job the job id
 * @param batchId the batch's id on the engine, owned by {@link BatchSweep#OWNER}
 * @param inputFileId the File the job's valid lines are copied into
 * @param started whether the batch's start message was sent
 */
public record JobBatch(
        @JsonProperty("job") String job,
        @JsonProperty("batch_id") String batchId,
        @JsonProperty("input_file_id") String inputFileId,
        @JsonProperty("started") boolean started) {

    JobBatch asStarted() {
        return new JobBatch(job, batchId, inputFileId, true);
    }
}
