package io.pointdata.udf.examples;

import java.util.List;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A trained random forest: CART trees on bootstrap samples, each split choosing among a random
 * {@code sqrt(features)} of the features, and a majority vote. Immutable and thread-safe once
 * trained, so connections can share one.
 *
 * <p>The settings follow scikit-learn's {@code RandomForestClassifier} defaults, which EII's
 * original used (Gini impurity, unlimited depth, leaves of one example), but the forest is seeded:
 * the same training set, tree count and seed always give the same forest.
 */
final class Forest {
  /** Tribuo logs every tree it builds at INFO to java.util.logging; held so the level sticks. */
  private static final java.util.logging.Logger TRIBUO_LOG =
      java.util.logging.Logger.getLogger("org.tribuo");

  static {
    TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final Model<Label> model;
  private final String[] featureNames;

  private Forest(Model<Label> model, List<String> features) {
    this.model = model;
    this.featureNames = features.toArray(String[]::new);
  }

  /** Trains a forest of {@code trees} trees on every row of the training set. */
  static Forest train(TrainingSet training, int trees, long seed) {
    LabelFactory labels = new LabelFactory();
    MutableDataset<Label> dataset =
        new MutableDataset<>(new SimpleDataSourceProvenance(training.source(), labels), labels);
    String[] names = training.features().toArray(String[]::new);
    for (int i = 0; i < training.size(); i++) {
      dataset.add(new ArrayExample<>(new Label(training.label(i)), names, training.row(i)));
    }
    int features = names.length;
    // scikit-learn's max_features="sqrt": Tribuo takes floor(features * fraction) features per
    // split.
    float fraction = (float) (Math.sqrt(features) / features);
    CARTClassificationTrainer tree =
        new CARTClassificationTrainer(
            Integer.MAX_VALUE, 1.0f, 0.0f, fraction, false, new GiniIndex(), seed);
    RandomForestTrainer<Label> forest =
        new RandomForestTrainer<>(tree, new VotingCombiner(), trees, seed);
    return new Forest(forest.train(dataset), training.features());
  }

  /** The feature names the forest expects, in training-file order. */
  List<String> features() {
    return List.of(featureNames);
  }

  /** Predicts the class of one example, whose features are in {@link #features()} order. */
  Vote predict(double[] features) {
    if (features.length != featureNames.length) {
      throw new IllegalArgumentException(
          "expected " + featureNames.length + " features, got " + features.length);
    }
    Example<Label> example = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, featureNames, features);
    Prediction<Label> prediction = model.predict(example);
    Label label = prediction.getOutput();
    return new Vote(Double.parseDouble(label.getLabel()), label.getScore());
  }

  /** A predicted class and the share of trees that voted for it. */
  record Vote(double label, double share) {}
}
