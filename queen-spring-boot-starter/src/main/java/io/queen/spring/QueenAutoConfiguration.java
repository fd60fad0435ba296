package io.queen.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.queen.Queen;
import io.queen.QueueManager;
import io.queen.metrics.micrometer.MicrometerMetrics;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Auto-configures Queen in a Spring Boot application: a {@link QueueManager} on the
 * application's {@code DataSource} (or on a pool of its own when {@code queen.datasource.url} is
 * set) configured from {@link QueenProperties} and every {@link QueenConfigCustomizer}; a
 * {@link QueenTemplate}; the {@link QueenListener} machinery; a {@link QueenHealthIndicator} when
 * the actuator is there; Queen's meters in the application's {@code MeterRegistry} when there is
 * one. Each bean backs off when the application defines its own of that type.
 *
 * <p>Shutdown: when the context closes, the {@link QueenListenerRegistry} (a SmartLifecycle)
 * stops the listeners first; the manager is closed afterwards, when beans are destroyed, within
 * {@code queen.shutdown-timeout}. A manager the application defines itself is closed by Spring's
 * inferred {@code close()} like any bean.
 *
 * <p>Threads: everything here runs once, on the thread that refreshes the context.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(QueueManager.class)
@EnableConfigurationProperties(QueenProperties.class)
public class QueenAutoConfiguration {
  /** The auto-configured manager's bean name. */
  public static final String MANAGER_BEAN = "queenQueueManager";

  /**
   * The manager: on Queen's own pool when {@code queen.datasource.url} is set, else on the
   * application's (unique or primary) DataSource. Fails the startup with QueenConfig's message
   * when a property is out of range, and when there is neither a DataSource nor a url.
   * Creating it migrates Queen's schema, on the thread that refreshes the context.
   *
   * @param properties the bound {@code queen.*} properties
   * @param dataSources the application's DataSource, used when {@code queen.datasource.url} is
   *     not set
   * @param customizers every {@link QueenConfigCustomizer}, applied in order after the properties
   * @param beanFactory where every DataSource bean is made to outlive the manager (closed after
   *     it), since the provider records no dependency
   * @return the started manager, closed with {@code close()} when the context is destroyed
   * @throws IllegalArgumentException naming the invalid settings (QueenConfig's, LifecycleSettings'
   *     or ConnectionSettings' message)
   * @throws IllegalStateException when there is neither a DataSource nor
   *     {@code queen.datasource.url}
   * @throws io.queen.error.QueenException when the database cannot be reached or the schema
   *     migrated (see {@link Queen#create} and {@link Queen#connect})
   */
  @Bean(name = MANAGER_BEAN, destroyMethod = "close")
  @ConditionalOnMissingBean(QueueManager.class)
  public QueueManager queenQueueManager(QueenProperties properties,
      ObjectProvider<DataSource> dataSources, ObjectProvider<QueenConfigCustomizer> customizers,
      ConfigurableListableBeanFactory beanFactory) {
    var builder = properties.toConfigBuilder();
    customizers.orderedStream().forEach(c -> c.customize(builder));
    var config = builder.build();
    if (properties.getDatasource().getUrl() != null) {
      return Queen.connect(properties.getDatasource().toSettings(), config);
    }
    var dataSource = dataSources.getIfAvailable();
    if (dataSource == null) {
      throw new IllegalStateException("Queen needs a DataSource: define one (spring.datasource.*)"
          + " or set queen.datasource.url");
    }
    // An ObjectProvider records no dependency: without this the DataSource could be closed
    // before the manager that still uses it.
    for (var name : beanFactory.getBeanNamesForType(DataSource.class, false, false)) {
      beanFactory.registerDependentBean(name, MANAGER_BEAN);
    }
    return Queen.create(dataSource, config);
  }

  /**
   * The template, joining transactions on the application's DataSource (none when Queen has a
   * pool of its own).
   *
   * @param queen the manager the template pushes with (the auto-configured one or the
   *     application's own)
   * @param mapper the application's ObjectMapper; without one, a plain ObjectMapper with the
   *     Jackson modules found on the class path
   * @param dataSources the application's (unique or primary) DataSource, whose transactions
   *     pushes join
   * @param properties tells whether Queen has a pool of its own ({@code queen.datasource.url})
   * @return the template
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnClass(ObjectMapper.class)
  public QueenTemplate queenTemplate(QueueManager queen, ObjectProvider<ObjectMapper> mapper,
      ObjectProvider<DataSource> dataSources, QueenProperties properties) {
    var dataSource = properties.getDatasource().getUrl() != null ? null : dataSources.getIfAvailable();
    return new QueenTemplate(queen, mapper.getIfAvailable(QueenAutoConfiguration::defaultMapper),
        dataSource);
  }

  /**
   * Collects the {@link QueenListener} methods (static: a post-processor, created early).
   *
   * @return a new post-processor with no endpoint yet
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnClass(ObjectMapper.class)
  public static QueenListenerAnnotationBeanPostProcessor queenListenerAnnotationBeanPostProcessor() {
    return new QueenListenerAnnotationBeanPostProcessor();
  }

  /**
   * Runs the {@link QueenListener} methods once the context is refreshed; stops them first.
   *
   * @param queen the manager the listeners' consumers pop from and ack to
   * @param mapper the application's ObjectMapper, converting payloads; without one, a plain
   *     ObjectMapper with the Jackson modules found on the class path
   * @param endpoints the post-processor that collected the annotated methods
   * @param properties the source of {@code queen.listener.*}
   * @return the registry, started by Spring after the refresh unless
   *     {@code queen.listener.auto-startup} is false
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnClass(ObjectMapper.class)
  @ConditionalOnBean(QueenListenerAnnotationBeanPostProcessor.class)
  public QueenListenerRegistry queenListenerRegistry(QueueManager queen,
      ObjectProvider<ObjectMapper> mapper, QueenListenerAnnotationBeanPostProcessor endpoints,
      QueenProperties properties) {
    return new QueenListenerRegistry(queen,
        mapper.getIfAvailable(QueenAutoConfiguration::defaultMapper), endpoints,
        properties.getListener());
  }

  static ObjectMapper defaultMapper() {
    return new ObjectMapper().findAndRegisterModules();
  }

  /** Queen's meters in the application's MeterRegistry, when Micrometer is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, MicrometerMetrics.class})
  static class QueenMetricsConfiguration {
    /** Hands the registry (the unique or primary one) to the engine's configuration. */
    @Bean
    @Order(0)
    @ConditionalOnProperty(prefix = "queen.metrics", name = "enabled", matchIfMissing = true)
    QueenConfigCustomizer queenMicrometerCustomizer(ObjectProvider<MeterRegistry> registries) {
      return builder -> {
        var registry = registries.getIfAvailable();
        if (registry != null) {
          builder.metrics(new MicrometerMetrics(registry));
        }
      };
    }
  }

  /** The {@code queen} health component, when the actuator is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class QueenHealthConfiguration {
    @Bean
    @ConditionalOnProperty(prefix = "management.health.queen", name = "enabled",
        matchIfMissing = true)
    @ConditionalOnMissingBean(name = "queenHealthIndicator")
    QueenHealthIndicator queenHealthIndicator(QueueManager queen, QueenProperties properties) {
      return new QueenHealthIndicator(queen, properties.getHealth().getTimeout());
    }
  }
}
