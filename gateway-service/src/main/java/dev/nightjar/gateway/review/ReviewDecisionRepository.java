package dev.nightjar.gateway.review;

import org.springframework.data.jpa.repository.JpaRepository;

/** Reviewers' decisions; {@link ReviewDecisions} is the way in. */
public interface ReviewDecisionRepository extends JpaRepository<ReviewDecision, Long> {
}
