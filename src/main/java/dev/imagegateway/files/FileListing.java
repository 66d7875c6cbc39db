package dev.imagegateway.files;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One page of {@code GET /v1/files}. Ids sort as their keys do, newest first ({@code NewestFirstIds}), so
 * {@code after} is a position in that order, as S3's {@code start-after} is: it need not name a file that
 * still exists. Only the files shown (and the one that tells whether there are more) are read.
 */
@ApplicationScoped
public class FileListing {

    /** The files of one page, in the order asked for, and whether more follow. */
    public record Page(List<FileObject> files, boolean hasMore) {
    }

    private final FileStore store;

    public FileListing(FileStore store) {
        this.store = store;
    }

    /**
     * @param purpose only files of this purpose, when given
     * @param ascending oldest first ({@code order=asc}) rather than newest first
     * @param after the id after which the page starts, in the order asked for; null for the first page
     */
    public Page page(String owner, Optional<String> purpose, int limit, boolean ascending, String after) {
        List<String> ids = store.ids(owner);
        if (ascending) {
            ids = new ArrayList<>(ids);
            Collections.reverse(ids);
        }
        List<FileObject> files = new ArrayList<>();
        for (String id : ids) {
            if (after != null && !(ascending ? id.compareTo(after) < 0 : id.compareTo(after) > 0)) {
                continue;
            }
            Optional<FileObject> file = store.find(owner, id);
            if (file.isEmpty() || purpose.isPresent() && !purpose.get().equals(file.get().purpose())) {
                continue;
            }
            if (files.size() == limit) {
                return new Page(files, true);
            }
            files.add(file.get());
        }
        return new Page(files, false);
    }
}
