package dev.imagegateway.batch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A non-blank line of a job file and its 1-based line number in that file. */
record JobLine(int number, byte[] bytes) {

    static List<JobLine> split(byte[] job) {
        List<JobLine> result = new ArrayList<>();
        int start = 0;
        int number = 1;
        for (int i = 0; i <= job.length; i++) {
            if (i == job.length || job[i] == '\n') {
                int end = i > start && job[i - 1] == '\r' ? i - 1 : i;
                byte[] bytes = Arrays.copyOfRange(job, start, end);
                if (!new String(bytes, StandardCharsets.UTF_8).isBlank()) {
                    result.add(new JobLine(number, bytes));
                }
                start = i + 1;
                number++;
            }
        }
        return result;
    }
}
