package dev.imagegateway.catalog;

/** Builds the start-up failure for one catalog entry: a sentence naming document, entry and field. */
record EntryProblems(String source, String entry) {

    IllegalStateException problem(String field, String what) {
        return new IllegalStateException("Model catalog " + source + ": entry '" + entry + "', field '" + field
                + "': " + what + ".");
    }
}
