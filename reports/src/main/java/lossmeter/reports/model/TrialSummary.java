package lossmeter.reports.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One entry of {@code results.json}'s {@code trials}: the trial's verdict and, when it failed, how to reproduce it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialSummary(String trial, String verdict, Long seed, String error, String reproduce) {
}
