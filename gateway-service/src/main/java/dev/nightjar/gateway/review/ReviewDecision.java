package dev.nightjar.gateway.review;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Generated;

/** A reviewer's decision on a held payment, as carried out by transaction-service. Never changed once written. */
@Entity
@Table(name = "review_decisions")
public class ReviewDecision {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "merchant_id", nullable = false, updatable = false)
    private String merchantId;

    @Column(name = "payment_id", nullable = false, updatable = false)
    private String paymentId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    private ReviewVerdict decision;

    @Column(updatable = false)
    private String reviewer;

    @Column(updatable = false)
    private String note;

    @Column(name = "client_id", nullable = false, updatable = false)
    private String clientId;

    @Generated
    @Column(name = "decided_at", updatable = false)
    private Instant decidedAt;

    protected ReviewDecision() {
    }

    ReviewDecision(String merchantId, String paymentId, ReviewVerdict decision, String reviewer, String note,
                   String clientId) {
        this.merchantId = merchantId;
        this.paymentId = paymentId;
        this.decision = decision;
        this.reviewer = reviewer;
        this.note = note;
        this.clientId = clientId;
    }
}
